package io.github.idempotency;

/**
 * Every problem (RFC 9457) this starter answers with, whichever door the request came
 * through. The {@code type} URIs are stable: clients may branch on them.
 */
public enum IdempotencyProblem {

	/** The endpoint requires a key and none was sent. */
	MISSING_KEY(400, "missing-key", "Idempotency key missing",
			"This endpoint requires an %s header. Send a unique value (for example a UUID) and send the same value again only to retry this request."),

	/**
	 * The key header is malformed: empty, too long, not printable ASCII, or sent twice.
	 */
	INVALID_KEY(400, "invalid-key", "Invalid idempotency key",
			"The %s header is invalid: %s. Send 1 to 255 printable ASCII characters, as a bare value or a quoted string."),

	/** The body is larger than what is fingerprinted. */
	BODY_TOO_LARGE(413, "body-too-large", "Request body too large",
			"The request body is larger than the %s bytes this endpoint accepts with an idempotency key. Send a smaller body."),

	/** A request with the same key is still running. */
	REQUEST_IN_PROGRESS(409, "request-in-progress", "Request in progress",
			"A request with this %s is still being processed. Retry after the number of seconds in Retry-After to receive its result."),

	/** The key was used before for a different request. */
	KEY_REUSED(422, "key-reused", "Idempotency key reused",
			"This %s was already used for a different request (method, path or body). Retry the original request unchanged, or send this request with a new key."),

	/**
	 * A request with this key took effect but its response was never stored (the JDBC
	 * store recorded the execution in the request's transaction; the instance ended
	 * before storing the response). 410: the response is gone for good, and no retry
	 * policy repeats a 410.
	 */
	RESPONSE_LOST(410, "response-lost", "Request took effect; response lost",
			"A request with this %s was executed and its changes were committed, but its response was lost before it could be stored. Do not retry: the request will not run again. Look up its result instead (for example with a GET of the resource it created)."),

	/**
	 * The request ran, but its claim expired and another request with the same key took
	 * over while it ran, so its changes were rolled back and the other request's result
	 * stands (JDBC store). A retry receives that result.
	 */
	CLAIM_LOST(409, "claim-lost", "Claim lost; changes rolled back",
			"This request ran, but while it ran its claim on this %s expired and another request with the same key took over, so its changes were rolled back and the other request's result stands. Retry with the same key after the number of seconds in Retry-After to receive that result."),

	/** The record stored under the key cannot be read. */
	RECORD_UNREADABLE(409, "record-unreadable", "Idempotency record unreadable",
			"The record stored for this %s cannot be read, so the request was not executed. Do not retry with this key; contact the operator of this service."),

	/** The store could not be reached in time; nothing was executed. */
	STORE_UNAVAILABLE(503, "store-unavailable", "Idempotency store unavailable",
			"The request was not executed because the idempotency store is unavailable. Retry with the same %s after the number of seconds in Retry-After.");

	/** Common prefix of every problem type URI. */
	public static final String TYPE_PREFIX = "https://idempotency.github.io/problems/";

	private final int status;

	private final String type;

	private final String title;

	private final String detailFormat;

	IdempotencyProblem(int status, String slug, String title, String detailFormat) {
		this.status = status;
		this.type = TYPE_PREFIX + slug;
		this.title = title;
		this.detailFormat = detailFormat;
	}

	/**
	 * @return the HTTP status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * @return the problem type URI
	 */
	public String type() {
		return this.type;
	}

	/**
	 * @return the short, fixed title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * The problem's detail with its placeholders filled.
	 * @param arguments the values of the detail's placeholders, in order
	 * @return the detail
	 */
	public String detail(Object... arguments) {
		return String.format(this.detailFormat, arguments);
	}

}
