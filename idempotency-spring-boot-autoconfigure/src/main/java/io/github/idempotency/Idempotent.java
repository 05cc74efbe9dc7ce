package io.github.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method idempotent: it runs at most once per key, and every repeated call with
 * the same key gets the first result again.
 *
 * <p>
 * <b>On a Spring MVC handler method</b> the key is the request's {@code Idempotency-Key}
 * header: a retry receives the first response again, byte for byte, with
 * {@code Idempotent-Replayed: true}.
 *
 * <pre class="code">
 * &#64;PostMapping("/payments")
 * &#64;Idempotent(ttl = "24h")
 * ResponseEntity&lt;Payment&gt; create(&#64;RequestBody PaymentRequest request) { ... }
 * </pre>
 *
 * The handler must produce a response that can be stored and replayed: a body, a
 * {@code ResponseEntity}, a primitive, a view or a redirect, not a stream, an emitter or
 * an asynchronous or reactive type. {@link #key()} is not allowed there.
 *
 * <p>
 * <b>On any other Spring bean method</b> (a service, a message listener, a scheduled job)
 * {@link #key()} is a SpEL expression over the method's arguments that yields the key; a
 * repeated key returns the stored return value without running the method, a key still in
 * flight throws {@link IdempotencyInProgressException}.
 *
 * <pre class="code">
 * &#64;RabbitListener(queues = "payments")
 * &#64;Idempotent(key = "#event.paymentId")
 * void onPayment(PaymentEvent event) { ... }
 * </pre>
 *
 * <p>
 * Durations use Spring Boot's format ({@code "30s"}, {@code "24h"}, {@code "PT10M"}); an
 * empty value means the global setting ({@code idempotency.ttl},
 * {@code idempotency.lock-timeout}, {@code idempotency.wait-for-in-progress}). The
 * annotation is found on the method, on an interface method it implements, or on a
 * superclass method it overrides. Every misuse stops start-up with a message naming the
 * method.
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
	 * How long an unfinished request holds its key without a renewal: while the method
	 * runs its claim is renewed every third of this time (up to
	 * {@code idempotency.renewal-limit}), so this is how soon the key of an instance that
	 * died is free again. Empty means {@code idempotency.lock-timeout}.
	 * @return the lock timeout
	 */
	String lockTimeout() default "";

	/**
	 * How long a duplicate that arrives while the first call with its key runs waits for
	 * it, instead of being refused at once ({@code 409 request-in-progress}, or
	 * {@link IdempotencyInProgressException} off the web): it receives the first call's
	 * result once that is stored, or runs itself should the first call give its key up
	 * (an exception, a 5xx); past this time it is refused as before. On Spring MVC and
	 * WebFlux the wait holds no thread; a method called directly waits on its caller's
	 * thread. {@code "0s"} refuses at once. Empty means
	 * {@code idempotency.wait-for-in-progress}.
	 * @return the longest wait for a call in flight
	 */
	String waitForInProgress() default "";

	/**
	 * Whether a request without the key header is rejected with 400. When {@code false}
	 * such a request runs without idempotency. Only for Spring MVC handler methods.
	 * @return whether the key header is required
	 */
	boolean required() default true;

	/**
	 * For methods that are not Spring MVC handlers: a SpEL expression over the method's
	 * arguments that yields the key, Spring Cache style: {@code #event.paymentId}
	 * (parameter names need {@code -parameters}, which Spring Boot's build plugins set),
	 * {@code #p0}/{@code #a0}, {@code #root.args}, {@code #root.methodName}, and
	 * {@code @beanName}. Checked at start-up; a call whose key is {@code null} or blank
	 * throws {@link IllegalArgumentException} without running the method. Empty on Spring
	 * MVC handler methods, which take the key from the request header.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * For methods with a {@link #key()}: a SpEL expression, like the key's, whose value
	 * must be the same when a key is used again; otherwise the call throws
	 * {@link IdempotencyKeyReusedException}. Empty means the key alone decides.
	 * @return the fingerprint expression
	 */
	String fingerprint() default "";

	/**
	 * For methods with a {@link #key()}: the name of the space the keys live in. Empty
	 * means the method ({@code fully.qualified.Type#method}), so two methods that consume
	 * the same message each run once; methods naming the same scope share their keys.
	 * Name it explicitly to keep the records of a method across a rename.
	 * @return the scope
	 */
	String scope() default "";

}
