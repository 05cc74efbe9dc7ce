package io.github.idempotency.autoconfigure;

import io.github.idempotency.autoconfigure.BuildTimeChoices.BuildTimeChoiceException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a run-time property that disagrees with what was built ahead of time as Spring
 * Boot's "application failed to start" description and action.
 */
class BuildTimeChoiceFailureAnalyzer extends AbstractFailureAnalyzer<BuildTimeChoiceException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BuildTimeChoiceException cause) {
		return new FailureAnalysis(
				"The idempotency starter was built ahead of time with other choices than this run "
						+ "asks for:\n\n  - " + String.join("\n  - ", cause.disagreements()),
				BuildTimeChoiceException.ACTION, cause);
	}

}
