package io.github.idempotency.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@link TestApplication} with a handler that keeps every stopped observation, on the
 * observation registry Spring Boot builds, and Micrometer Tracing's handler turning them
 * into spans of a tracer that keeps them, so a test can read both.
 */
@Configuration(proxyBeanMethods = false)
@Import({ TestApplication.class, ObservedTestApplication.Tracing.class })
public class ObservedTestApplication {

	/**
	 * A tracer that keeps its spans and a handler that keeps every stopped observation.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class Tracing {

		@Bean
		RecordedObservations recordedObservations() {
			return new RecordedObservations();
		}

		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

		/**
		 * Turns observations into spans of the tracer that keeps them, as a tracing
		 * bridge does.
		 */
		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer tracer) {
			return new DefaultTracingObservationHandler(tracer);
		}

	}

	/** Every observation stopped so far, in the order they stopped. */
	public static class RecordedObservations implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		/**
		 * @return the stopped observations' contexts
		 */
		public List<Observation.Context> contexts() {
			return List.copyOf(this.stopped);
		}

	}

}
