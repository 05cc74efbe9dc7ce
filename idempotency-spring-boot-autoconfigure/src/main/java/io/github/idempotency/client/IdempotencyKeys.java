package io.github.idempotency.client;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.util.Assert;

/**
 * Binds one idempotency key to one logical call, however often something outside the
 * client retries it (Spring Retry, Resilience4j, {@code @Retryable}): every request the
 * client interceptors send while the call runs on this thread carries that key.
 * Generating the key inside the retried block is the classic mistake — every attempt then
 * carries a new key and the server runs each one.
 *
 * <pre class="code">
 * Receipt receipt = keys.withKey(() -&gt; retryTemplate.execute((context) -&gt;
 *         restClient.post().uri("/payments").body(payment).retrieve().body(Receipt.class)));
 * </pre>
 *
 * For {@code WebClient} calls the key travels in the Reactor context instead:
 * {@link IdempotencyExchangeFilterFunction#withKey}.
 */
public final class IdempotencyKeys {

	private final ThreadLocal<String> bound = new ThreadLocal<>();

	/**
	 * Runs a logical call with a fresh key.
	 * @param <T> the call's result
	 * @param call the call, including whatever retries it
	 * @return what the call returned
	 */
	public <T> T withKey(Supplier<T> call) {
		return withKey(newKey(), call);
	}

	/**
	 * Runs a logical call with a key of the caller's, e.g. one kept from an earlier
	 * attempt that was interrupted by a restart.
	 * @param <T> the call's result
	 * @param key the key every request of the call carries
	 * @param call the call, including whatever retries it
	 * @return what the call returned
	 */
	public <T> T withKey(String key, Supplier<T> call) {
		Assert.hasText(key, "key must not be empty");
		String previous = this.bound.get();
		this.bound.set(key);
		try {
			return call.get();
		}
		finally {
			if (previous != null) {
				this.bound.set(previous);
			}
			else {
				this.bound.remove();
			}
		}
	}

	/**
	 * @return the key bound to the logical call running on this thread, if any
	 */
	public Optional<String> current() {
		return Optional.ofNullable(this.bound.get());
	}

	/**
	 * @return a fresh key: a random UUID
	 */
	public static String newKey() {
		return UUID.randomUUID().toString();
	}

}
