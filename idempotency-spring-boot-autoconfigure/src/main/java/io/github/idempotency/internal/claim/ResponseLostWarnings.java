package io.github.idempotency.internal.claim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs a key whose call took effect but whose response was lost ({@code 410
 * response-lost}) at WARN the first time it is refused, and at DEBUG after that: a client
 * that keeps retrying must not flood the log. Every refusal is counted all the same.
 * Keeps at most {@value #MAX_KEYS} keys; past that it forgets them and starts over, so a
 * key may be warned about again, but memory stays bounded.
 */
final class ResponseLostWarnings {

	static final int MAX_KEYS = 10_000;

	private static final Log logger = LogFactory.getLog(ClaimSequence.class);

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Logs a refusal.
	 * @param endpoint the idempotent method
	 * @param storageKey the key refused
	 */
	void refused(String endpoint, String storageKey) {
		if (this.warned.size() >= MAX_KEYS) {
			this.warned.clear();
		}
		String message = "Refused " + endpoint + " for key " + storageKey + ": a call with this key took effect but "
				+ "its response was never stored (its instance ended before storing it); it does not run again";
		if (this.warned.add(storageKey)) {
			logger.warn(message + " (further refusals of this key are logged at DEBUG and counted as "
					+ "idempotency.requests{outcome=response_lost})");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
