package io.github.idempotency.autoconfigure;

import java.util.Base64;
import java.util.Map;

import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.testsupport.StartupFailure;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encryption keys from {@code idempotency.encryption.*} (R39): made when a current key is
 * set, backing off for an application's own {@link ResponseEncryptionKeys}, masked in
 * Actuator, and every setting that cannot work stops start-up with a message that names
 * the property and never shows a key.
 */
class EncryptionAutoConfigurationTests {

	private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
		.withPropertyValues("idempotency.store=in-memory");

	@Test
	void withoutACurrentKeyNothingIsEncrypted() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResponseEncryptionKeys.class));
	}

	@Test
	void aCurrentKeyAndItsKeyMakeTheKeys() {
		this.contextRunner
			.withPropertyValues("idempotency.encryption.current-key=k1", "idempotency.encryption.keys.k1=" + K1)
			.run((context) -> {
				assertThat(context).hasSingleBean(ResponseEncryptionKeys.class);
				ResponseEncryptionKeys keys = context.getBean(ResponseEncryptionKeys.class);
				assertThat(keys.currentKeyId()).isEqualTo("k1");
				assertThat(keys.key("k1")).isNotNull();
				assertThat(keys.key("k0")).isNull();
			});
	}

	@Test
	void anApplicationsOwnKeysWinOverTheProperties() {
		ResponseEncryptionKeys own = ResponseEncryptionKeys.of("kms-7", Map.of("kms-7", new byte[32]));
		this.contextRunner.withBean(ResponseEncryptionKeys.class, () -> own)
			.withPropertyValues("idempotency.encryption.current-key=k1", "idempotency.encryption.keys.k1=" + K1)
			.run((context) -> assertThat(context.getBean(ResponseEncryptionKeys.class)).isSameAs(own));
	}

	@Test
	void aKeyThatIsNotBase64StopsStartupNamingItsPropertyButNotItsValue() {
		this.contextRunner
			.withPropertyValues("idempotency.encryption.current-key=k1", "idempotency.encryption.keys.k1=not*base64!")
			.run((context) -> assertThat(StartupFailure.of(context))
				.contains("idempotency.encryption.keys.k1 is not base64")
				.doesNotContain("not*base64!"));
	}

	@Test
	void aKeyOfTheWrongLengthStopsStartup() {
		String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
		this.contextRunner
			.withPropertyValues("idempotency.encryption.current-key=k1", "idempotency.encryption.keys.k1=" + shortKey)
			.run((context) -> assertThat(StartupFailure.of(context))
				.contains("idempotency.encryption.keys.k1 is 16 bytes long; an AES-256 key is the base64 of exactly 32")
				.doesNotContain(shortKey));
	}

	@Test
	void anUnknownCurrentKeyStopsStartup() {
		this.contextRunner
			.withPropertyValues("idempotency.encryption.current-key=k9", "idempotency.encryption.keys.k1=" + K1)
			.run((context) -> assertThat(StartupFailure.of(context)).contains(
					"idempotency.encryption.current-key=k9 names no key of idempotency.encryption.keys (ids [k1])"));
	}

	@Test
	void keysWithoutACurrentKeyStopStartupRatherThanStoreInClear() {
		this.contextRunner.withPropertyValues("idempotency.encryption.keys.k1=" + K1)
			.run((context) -> assertThat(StartupFailure.of(context)).contains(
					"idempotency.encryption.keys is set but idempotency.encryption.current-key is not, so responses would be stored in clear"));
	}

	@Test
	void theFailureAnalysisSaysWhatToDo() {
		this.contextRunner
			.withPropertyValues("idempotency.encryption.current-key=k1", "idempotency.encryption.keys.k1=abc")
			.run((context) -> {
				FailureAnalysis analysis = new EncryptionSettingsFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith("Stored responses cannot be encrypted: ")
					.contains("idempotency.encryption.keys.k1");
				assertThat(analysis.getAction()).contains("openssl rand -base64 32");
			});
	}

	@Test
	void theKeysAreMaskedWhereActuatorShowsProperties() {
		this.contextRunner.run((context) -> {
			SanitizingFunction sanitizer = context.getBean("idempotencyEncryptionKeysSanitizer",
					SanitizingFunction.class);
			assertThat(sanitizer.apply(new SanitizableData(null, "idempotency.encryption.keys.k1", K1)).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(
					sanitizer.apply(new SanitizableData(null, "idempotency.encryption.current-key", "k1")).getValue())
				.isEqualTo("k1");
		});
	}

}
