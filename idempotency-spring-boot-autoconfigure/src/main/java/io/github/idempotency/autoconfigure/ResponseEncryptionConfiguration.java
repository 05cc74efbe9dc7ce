package io.github.idempotency.autoconfigure;

import io.github.idempotency.ResponseEncryptionKeys;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The keys stored responses are encrypted with, from {@code idempotency.encryption.*}
 * unless the application defines its own {@link ResponseEncryptionKeys}, and the masking
 * of those keys wherever Actuator shows properties ({@code /actuator/env},
 * {@code /actuator/configprops}), whatever {@code show-values} says.
 */
@Configuration(proxyBeanMethods = false)
class ResponseEncryptionConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "idempotency.encryption", name = "current-key")
	ResponseEncryptionKeys idempotencyEncryptionKeys(IdempotencyProperties properties) {
		return EncryptionSettings.keys(properties.getEncryption());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class EncryptionKeysMasking {

		@Bean
		@ConditionalOnMissingBean(name = "idempotencyEncryptionKeysSanitizer")
		SanitizingFunction idempotencyEncryptionKeysSanitizer() {
			return (data) -> data.getLowerCaseKey().startsWith("idempotency.encryption.keys")
					? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
		}

	}

}
