package io.github.idempotency.autoconfigure;

import java.util.List;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.autoconfigure.BuildTimeChoices.BuildTimeChoiceException;
import io.github.idempotency.internal.method.KeyExpressionRoot;
import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ahead-of-time processing needs: a run whose properties disagree with the beans
 * built in fails start-up naming the property, and the runtime hints cover what the
 * starter reaches by reflection and proxies.
 */
class AheadOfTimeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
				IdempotencyBuildTimeChoicesAutoConfiguration.class, SpringBootLine.redisAutoConfiguration()));

	@Test
	void aStoreChosenAtRunTimeThatIsNotTheOneBuiltInIsADisagreementNamingTheProperty() {
		this.contextRunner.withPropertyValues("idempotency.store=in-memory").run((context) -> {
			assertThat(disagreements(context, "idempotency.store", "redis")).containsExactly(
					"idempotency.store is redis at run time, but the application was built with the in-memory store");
			assertThat(disagreements(context, "idempotency.store", "in-memory")).isEmpty();
			assertThat(disagreements(context)).isEmpty();
		});
		this.contextRunner.withPropertyValues("idempotency.store=redis").run((context) -> {
			assertThat(disagreements(context, "idempotency.store", "in_memory")).containsExactly(
					"idempotency.store is in-memory at run time, but the application was built with the redis store");
			assertThat(disagreements(context, "idempotency.store", "redis")).isEmpty();
		});
	}

	@Test
	void enablingOrDisablingAtRunTimeWhatWasBuiltTheOtherWayIsADisagreement() {
		this.contextRunner.withPropertyValues("idempotency.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(BuildTimeChoices.class);
			assertThat(disagreements(context, "idempotency.enabled", "true")).singleElement()
				.asString()
				.contains("idempotency.enabled is true at run time, but the application was built with it false");
			assertThat(disagreements(context, "idempotency.enabled", "false")).isEmpty();
		});
		this.contextRunner.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(disagreements(context, "idempotency.enabled", "false")).singleElement()
				.asString()
				.contains("idempotency.enabled is false at run time, but the application was built with it true"));
	}

	@Test
	void switchingTheListenerRetryOffAtRunTimeWhenItWasBuiltInIsADisagreement() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SpringBootLine.kafkaAutoConfiguration()))
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> {
				assertThat(disagreements(context, "idempotency.listener.enabled", "false")).singleElement()
					.asString()
					.contains("idempotency.listener.enabled is false at run time");
				assertThat(disagreements(context, "idempotency.listener.enabled", "true")).isEmpty();
			});
	}

	@Test
	void theClientHalfSwitchedTheOtherWayAtRunTimeIsADisagreement() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(IdempotencyClientAutoConfiguration.class))
			.withPropertyValues("idempotency.store=in-memory", "idempotency.client.enabled=true")
			.run((context) -> {
				assertThat(disagreements(context, "idempotency.client.enabled", "false")).singleElement()
					.asString()
					.contains(
							"idempotency.client.enabled is false at run time, but the application was built with it true");
				assertThat(disagreements(context, "idempotency.client.enabled", "true")).isEmpty();
			});
		this.contextRunner.withConfiguration(AutoConfigurations.of(IdempotencyClientAutoConfiguration.class))
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(disagreements(context, "idempotency.client.enabled", "true")).singleElement()
				.asString()
				.contains("built with it false"));
	}

	@Test
	void theApplicationsOwnStoreIsNeverADisagreement() {
		this.contextRunner.withBean(IdempotencyStore.class, OwnStore::new)
			.run((context) -> assertThat(disagreements(context, "idempotency.store", "redis")).isEmpty());
	}

	@Test
	void aNormalRunChecksNothing() {
		this.contextRunner.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(BuildTimeChoices.class));
	}

	@Test
	void theFailureIsReportedWithWhatToDo() {
		BuildTimeChoiceException failure = new BuildTimeChoiceException(
				List.of("idempotency.store is redis at run time"));
		FailureAnalysis analysis = new BuildTimeChoiceFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("built ahead of time").contains("- idempotency.store is redis");
		assertThat(analysis.getAction()).contains("process-aot")
			.contains("--idempotency.store=redis")
			.contains("define the IdempotencyStore bean yourself");
	}

	@Test
	void keyExpressionsCanReadTheirRootInANativeImage() {
		RuntimeHints hints = hints();
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(KeyExpressionRoot.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
	}

	@Test
	void theJdbcSchemaScriptsAreResourcesOfANativeImage() {
		RuntimeHints hints = hints();
		for (JdbcPlatform platform : JdbcPlatform.values()) {
			assertThat(RuntimeHintsPredicates.resource().forResource(platform.schemaLocation())).as(platform.name())
				.accepts(hints);
		}
	}

	@Test
	void aJdbcStoreBuiltInDisagreesWithAnotherStoreAtRunTime() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
					IdempotencyBuildTimeChoicesAutoConfiguration.class, SpringBootLine.dataSourceAutoConfiguration()))
			.withPropertyValues("idempotency.store=jdbc",
					"spring.datasource.url=jdbc:h2:mem:" + java.util.UUID.randomUUID())
			.run((context) -> {
				assertThat(disagreements(context, "idempotency.store", "redis")).containsExactly(
						"idempotency.store is redis at run time, but the application was built with the jdbc store");
				assertThat(disagreements(context, "idempotency.store", "jdbc")).isEmpty();
			});
	}

	@Test
	void theReadinessGroupProxiesOfTheRunningLineAreDeclared() {
		RuntimeHints hints = hints();
		List<String> running = SpringBootLine.BOOT4 ? IdempotencyRuntimeHints.HEALTH_GROUP_INTERFACES.subList(2, 4)
				: IdempotencyRuntimeHints.HEALTH_GROUP_INTERFACES.subList(0, 2);
		for (String name : running) {
			assertThat(
					RuntimeHintsPredicates.proxies().forInterfaces(org.springframework.aot.hint.TypeReference.of(name)))
				.as(name)
				.accepts(hints);
		}
	}

	private static RuntimeHints hints() {
		RuntimeHints hints = new RuntimeHints();
		new IdempotencyRuntimeHints().registerHints(hints, AheadOfTimeTests.class.getClassLoader());
		return hints;
	}

	private static List<String> disagreements(AssertableApplicationContext context, String... property) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i < property.length; i += 2) {
			environment.setProperty(property[i], property[i + 1]);
		}
		return BuildTimeChoices.disagreements(environment, context.getBeanFactory());
	}

	static class OwnStore implements IdempotencyStore {

		@Override
		public ClaimResult claim(String key, String owner, String fingerprint, java.time.Duration lockTimeout) {
			return ClaimResult.CLAIMED;
		}

		@Override
		public boolean complete(String key, String owner, StoredResponse response, java.time.Duration ttl) {
			return true;
		}

		@Override
		public boolean release(String key, String owner) {
			return true;
		}

	}

}
