package io.github.idempotency.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The WebFlux floor on Redis ({@code sample.floor.enabled} with the {@code reactive}
 * profile, {@link ReactiveFloorController}) keeps the floor's contract. Runs in a JVM of
 * its own, like every reactive application of these tests.
 */
class SampleReactiveFloorTests extends SampleFloorTests {

	@Override
	protected List<String> floorArguments() {
		List<String> arguments = new ArrayList<>(super.floorArguments());
		arguments.add("--spring.profiles.active=reactive");
		return arguments;
	}

}
