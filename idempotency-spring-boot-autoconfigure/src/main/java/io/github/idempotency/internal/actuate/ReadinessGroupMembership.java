package io.github.idempotency.internal.actuate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Decides whether the {@code idempotency} health component joins the {@code readiness}
 * group: yes, unless the application chose the group's members itself with
 * {@code management.endpoint.health.group.readiness.include}.
 *
 * <p>
 * The health endpoint's groups have other types on Spring Boot 3 and 4 but the same
 * methods, so {@link #addTo} decorates either with proxies of the interfaces they
 * implement.
 */
public final class ReadinessGroupMembership {

	/** The name of the health component. */
	public static final String COMPONENT = "idempotency";

	/** The name of the readiness group. */
	public static final String GROUP = "readiness";

	static final String INCLUDE_PROPERTY = "management.endpoint.health.group.readiness.include";

	/**
	 * The simple name of the health endpoint groups' interface on both Spring Boot lines.
	 */
	public static final String GROUPS_INTERFACE = "HealthEndpointGroups";

	/**
	 * The simple name of a health endpoint group's interface on both Spring Boot lines.
	 */
	public static final String GROUP_INTERFACE = "HealthEndpointGroup";

	private final boolean add;

	/**
	 * Reads the application's choice.
	 * @param environment the environment
	 */
	public ReadinessGroupMembership(Environment environment) {
		this.add = !environment.containsProperty(INCLUDE_PROPERTY)
				&& !environment.containsProperty(INCLUDE_PROPERTY + "[0]");
	}

	/**
	 * Whether a component is a member of the readiness group.
	 * @param name the component name
	 * @param configuredMember whether the group as configured includes it
	 * @return whether it is a member
	 */
	public boolean isMember(String name, boolean configuredMember) {
		return configuredMember || (this.add && COMPONENT.equals(name));
	}

	/**
	 * Returns the health endpoint groups with the {@code idempotency} component in the
	 * readiness group, or the groups unchanged when the application chose its members.
	 * @param <T> the type of the groups on the running Spring Boot line
	 * @param groups the {@code HealthEndpointGroups}
	 * @return the decorated groups
	 */
	@SuppressWarnings("unchecked")
	public <T> T addTo(T groups) {
		if (!this.add) {
			return groups;
		}
		return (T) proxy(groups, GROUPS_INTERFACE, (proxy, method, args) -> {
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			Object result = invoke(groups, method, args);
			boolean readiness = method.getName().equals("get") && GROUP.equals(args[0]) && result != null;
			return readiness ? readinessGroup(result) : result;
		});
	}

	private Object readinessGroup(Object group) {
		return proxy(group, GROUP_INTERFACE, (proxy, method, args) -> method.getName().equals("isMember")
				? isMember((String) args[0], (Boolean) invoke(group, method, args)) : invoke(group, method, args));
	}

	/**
	 * A proxy of the one interface of the target's that has the given simple name: the
	 * same single-interface proxy on every run, as native images need it declared.
	 */
	private static Object proxy(Object target, String interfaceName, InvocationHandler handler) {
		Class<?> type = ClassUtils.getAllInterfacesForClassAsSet(target.getClass())
			.stream()
			.filter((candidate) -> candidate.getSimpleName().equals(interfaceName))
			.findFirst()
			.orElseThrow(
					() -> new IllegalStateException(target.getClass().getName() + " implements no " + interfaceName));
		return Proxy.newProxyInstance(target.getClass().getClassLoader(), new Class<?>[] { type }, handler);
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
