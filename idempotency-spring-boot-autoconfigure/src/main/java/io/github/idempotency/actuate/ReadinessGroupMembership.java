package io.github.idempotency.actuate;

import org.springframework.core.env.Environment;

/**
 * Decides whether the {@code idempotency} health component joins the {@code readiness}
 * group: yes, unless the application chose the group's members itself with
 * {@code management.endpoint.health.group.readiness.include}.
 */
public final class ReadinessGroupMembership {

	/** The name of the health component. */
	public static final String COMPONENT = "idempotency";

	/** The name of the readiness group. */
	public static final String GROUP = "readiness";

	static final String INCLUDE_PROPERTY = "management.endpoint.health.group.readiness.include";

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

	/** @return whether the readiness group is changed at all */
	public boolean changesGroup() {
		return this.add;
	}

}
