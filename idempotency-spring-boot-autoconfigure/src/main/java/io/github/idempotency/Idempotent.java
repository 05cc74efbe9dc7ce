package io.github.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring MVC handler method idempotent: a request carrying an {@code Idempotency-Key}
 * header runs the method at most once, and every retry with the same key receives the first
 * response again, byte for byte, with {@code Idempotent-Replayed: true}.
 *
 * <pre class="code">
 * &#64;PostMapping("/payments")
 * &#64;Idempotent(ttl = "24h")
 * ResponseEntity&lt;Payment&gt; create(&#64;RequestBody PaymentRequest request) { ... }
 * </pre>
 *
 * <p>Durations use Spring Boot's format ({@code "30s"}, {@code "24h"}, {@code "PT10M"}); an
 * empty value means the global setting ({@code idempotency.ttl}, {@code idempotency.lock-timeout}).
 * The annotation is found where Spring MVC finds mapping annotations: on the handler method, on
 * an interface method it implements, or on a superclass method it overrides. The method must be
 * a request-mapped Spring MVC handler and produce a response that can be stored and replayed: a
 * body, a {@code ResponseEntity}, a primitive, a view or a redirect, not a stream, an emitter or
 * an asynchronous or reactive type. Start-up fails otherwise, naming the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

	/**
	 * How long a finished response is replayed for retries with the same key. Empty means
	 * {@code idempotency.ttl}.
	 * @return the time-to-live of a stored response
	 */
	String ttl() default "";

	/**
	 * How long an unfinished request holds its key; after that a retry may run the method
	 * again. Empty means {@code idempotency.lock-timeout}.
	 * @return the lock timeout
	 */
	String lockTimeout() default "";

	/**
	 * Whether a request without the key header is rejected with 400. When {@code false} such
	 * a request runs without idempotency.
	 * @return whether the key header is required
	 */
	boolean required() default true;

}
