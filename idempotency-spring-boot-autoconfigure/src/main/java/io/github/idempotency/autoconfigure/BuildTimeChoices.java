package io.github.idempotency.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.claim.ClaimSequence;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Checks, in an application run from its ahead-of-time (AOT) processed form or as a
 * native image, that the properties which chose the starter's beans at build time still
 * say the same at run time. AOT evaluates conditions when the application is built, so a
 * run-time {@code --idempotency.store=redis} cannot bring back a Redis store that was
 * left out: without this check the records would silently stay in the heap of each
 * instance. A disagreement stops start-up with {@link BuildTimeChoiceException}, naming
 * the property, the value seen now and what was built in. A normal JVM run evaluates
 * conditions at start-up, so nothing is checked.
 *
 * <p>
 * Only choices the application made explicitly at run time are compared: a property
 * absent at run time leaves the choice to the defaults, which the build saw as well.
 */
final class BuildTimeChoices implements SmartInitializingSingleton {

	static final String ENABLED = "idempotency.enabled";

	static final String STORE = "idempotency.store";

	static final String LISTENER = "idempotency.listener.enabled";

	/** The beans of the listener integration, one per broker library. */
	static final String[] LISTENER_BEANS = { "idempotencyRabbitInProgressWait", "idempotencyKafkaErrorHandler" };

	static final String CLIENT = "idempotency.client.enabled";

	private static final String CONFIGURATIONS = IdempotencyConfigurations.class.getName();

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	BuildTimeChoices(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		List<String> disagreements = disagreements(this.environment, this.beanFactory);
		if (!disagreements.isEmpty()) {
			throw new BuildTimeChoiceException(disagreements);
		}
	}

	/**
	 * Compares the run-time properties with the beans the context has.
	 * @param environment the run-time environment
	 * @param beanFactory the beans, as built
	 * @return one sentence per disagreement, empty when they agree
	 */
	static List<String> disagreements(Environment environment, ConfigurableListableBeanFactory beanFactory) {
		List<String> disagreements = new ArrayList<>();
		Binder binder = Binder.get(environment);
		boolean built = beanFactory.getBeanNamesForType(ClaimSequence.class, true, false).length > 0;
		Boolean client = binder.bind(CLIENT, Boolean.class).orElse(null);
		boolean clientBuilt = beanFactory.containsBean("idempotencyClientsPostProcessor");
		if (client != null && client != clientBuilt) {
			disagreements
				.add(CLIENT + " is " + client + " at run time, but the application was built with it " + clientBuilt);
		}
		Boolean enabled = binder.bind(ENABLED, Boolean.class).orElse(null);
		if (enabled != null && enabled != built) {
			disagreements.add(ENABLED + " is " + enabled + " at run time, but the application was built with it "
					+ built + (built ? ", so @Idempotent is applied" : ", so nothing of the starter was built in"));
		}
		if (!built) {
			return disagreements;
		}
		String builtStore = builtStore(beanFactory);
		IdempotencyProperties.Store store = binder.bind(STORE, IdempotencyProperties.Store.class).orElse(null);
		if (builtStore != null && store != null && !name(store).equals(builtStore)) {
			disagreements.add(STORE + " is " + name(store) + " at run time, but the application was built with the "
					+ builtStore + " store");
		}
		Boolean listener = binder.bind(LISTENER, Boolean.class).orElse(null);
		boolean listenerBuilt = Arrays.stream(LISTENER_BEANS).anyMatch(beanFactory::containsBean);
		if (Boolean.FALSE.equals(listener) && listenerBuilt) {
			disagreements.add(LISTENER + " is false at run time, but the application was built with the listener "
					+ "containers' in-progress retry");
		}
		return disagreements;
	}

	/**
	 * The built-in store the context has, {@code redis}, {@code jdbc} or
	 * {@code in-memory}; {@code null} for the application's own.
	 */
	private static @Nullable String builtStore(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanNamesForType(IdempotencyStore.class, true, false)) {
			BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
			String factory = String.valueOf(definition.getFactoryBeanName());
			if (factory.equals(CONFIGURATIONS + "$RedisStoreConfiguration")) {
				return name(IdempotencyProperties.Store.REDIS);
			}
			if (factory.equals(CONFIGURATIONS + "$InMemoryStoreConfiguration")) {
				return name(IdempotencyProperties.Store.IN_MEMORY);
			}
			if (factory.equals(JdbcStoreConfiguration.class.getName())) {
				return name(IdempotencyProperties.Store.JDBC);
			}
		}
		return null;
	}

	private static String name(IdempotencyProperties.Store store) {
		return store.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * A run-time property disagrees with the beans built ahead of time.
	 */
	static final class BuildTimeChoiceException extends IllegalStateException {

		private final List<String> disagreements;

		BuildTimeChoiceException(List<String> disagreements) {
			super("The idempotency starter was built ahead of time with other choices than this run asks for: "
					+ String.join("; ", disagreements) + ". " + ACTION);
			this.disagreements = List.copyOf(disagreements);
		}

		List<String> disagreements() {
			return this.disagreements;
		}

		static final String ACTION = "Ahead-of-time processing (spring-boot:process-aot, native images) fixes these "
				+ "choices when the application is built: set the property for the build (for example "
				+ "<arguments>--idempotency.store=redis</arguments> of the process-aot goal, or the application's "
				+ "configuration), or define the IdempotencyStore bean yourself; then the run-time value must agree.";

	}

}
