package io.github.idempotency.internal.claim;

import io.github.idempotency.IdempotencyObserver.WaitEnd;

/** How a wait ended, told from the decision it ended with. */
final class WaitEnds {

	private WaitEnds() {
	}

	static WaitEnd of(Decision decision) {
		if (decision instanceof Decision.Replay) {
			return WaitEnd.REPLAYED;
		}
		if (decision instanceof Decision.Run || decision instanceof Decision.RunWithoutIdempotency) {
			return WaitEnd.RAN;
		}
		if (decision instanceof Decision.Refused refused) {
			return switch (refused.reason()) {
				case IN_PROGRESS -> WaitEnd.TIMED_OUT;
				case STORE_UNAVAILABLE -> WaitEnd.FAILED;
				default -> WaitEnd.REFUSED;
			};
		}
		throw new IllegalStateException("A wait ended with " + decision);
	}

}
