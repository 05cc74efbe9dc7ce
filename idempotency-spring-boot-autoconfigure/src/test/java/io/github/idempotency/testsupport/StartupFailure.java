package io.github.idempotency.testsupport;

import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads why an application context of {@code ApplicationContextRunner} failed to start.
 */
public final class StartupFailure {

	private StartupFailure() {
	}

	/**
	 * Asserts that the context failed and returns the messages of the failure and its
	 * causes.
	 * @param context the context
	 * @return every message, one per line
	 */
	public static String of(ApplicationContextAssertProvider<?> context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
			messages.append(failure.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
