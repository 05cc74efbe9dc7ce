package io.github.idempotency.autoconfigure;

import io.github.idempotency.autoconfigure.EncryptionSettings.EncryptionSettingsException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports encryption settings that cannot work as Spring Boot's "application failed to
 * start" description and action.
 */
class EncryptionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<EncryptionSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EncryptionSettingsException cause) {
		return new FailureAnalysis("Stored responses cannot be encrypted: " + cause.getMessage() + ".",
				EncryptionSettingsException.ACTION, cause);
	}

}
