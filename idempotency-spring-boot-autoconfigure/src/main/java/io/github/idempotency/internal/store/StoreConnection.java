package io.github.idempotency.internal.store;

/**
 * The connection of a store to its backend, as start-up sees it: one attempt to connect and
 * prepare the store, and retries in the background until one succeeds.
 */
public interface StoreConnection {

	/** A store that needs no connection, such as the in-memory store. */
	StoreConnection NONE = new StoreConnection() {

		@Override
		public boolean connect() {
			return true;
		}

		@Override
		public void connectInBackground() {
		}

		@Override
		public String target() {
			return "the store";
		}

		@Override
		public String lastFailure() {
			return "";
		}

		@Override
		public void close() {
		}

	};

	/**
	 * Makes one attempt to connect and prepare the store, or joins the attempt under way.
	 * @return whether the store is connected
	 */
	boolean connect();

	/** Keeps trying to connect on a background thread until an attempt succeeds. */
	void connectInBackground();

	/** @return what the store connects to, e.g. {@code Redis (standalone, 127.0.0.1:6379)} */
	String target();

	/** @return why the last attempt failed, empty when none failed */
	String lastFailure();

	/** Stops trying to connect. */
	void close();

}
