package io.github.idempotency.internal.method;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.method.ReturnValueCodec;
import io.github.idempotency.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The codec the starter builds from the application's JSON mapper — Jackson 2 on Spring
 * Boot 3, Jackson 3 on Spring Boot 4 — writes the same bytes for the same value on both
 * lines (pinned here, and run on both), and reads the members in any order, so a fleet in
 * the middle of an upgrade replays every stored value.
 */
class ReturnValueCodecTests {

	private static final Receipt RECEIPT = new Receipt("pay_1", 1, 4999,
			Instant.parse("2026-11-30T10:15:30.123456789Z"),
			List.of(new Receipt.Line("book", 1999), new Receipt.Line("ünïcødé ✓", 3000)));

	/**
	 * The receipt as both lines write it with Spring Boot's settings: members in
	 * declaration order.
	 */
	private static final String WRITTEN_RECEIPT = "{\"paymentId\":\"pay_1\",\"number\":1,\"amount\":4999,"
			+ "\"issued\":\"2026-11-30T10:15:30.123456789Z\",\"lines\":[{\"text\":\"book\",\"cents\":1999},"
			+ "{\"text\":\"ünïcødé ✓\",\"cents\":3000}]}";

	/**
	 * The same receipt with its members sorted by name, as another mapper setting writes
	 * it.
	 */
	private static final String SORTED_RECEIPT = "{\"amount\":4999,\"issued\":\"2026-11-30T10:15:30.123456789Z\","
			+ "\"lines\":[{\"cents\":1999,\"text\":\"book\"},{\"cents\":3000,\"text\":\"ünïcødé ✓\"}],"
			+ "\"number\":1,\"paymentId\":\"pay_1\"}";

	private final ReturnValueCodec codec = applicationCodec();

	private static ReturnValueCodec applicationCodec() {
		ReturnValueCodec[] codec = new ReturnValueCodec[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
					SpringBootLine.jacksonAutoConfiguration()))
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> codec[0] = context.getBean(ReturnValueCodec.class));
		return codec[0];
	}

	@Test
	void theCodecIsTheApplicationsJacksonOfTheRunningLine() {
		assertThat(this.codec)
			.isInstanceOf(SpringBootLine.BOOT4 ? Jackson3ReturnValueCodec.class : Jackson2ReturnValueCodec.class);
	}

	@Test
	void bothLinesWriteTheSameBytesForTheSameValue() {
		assertThat(new String(this.codec.encode(RECEIPT, Receipt.class), StandardCharsets.UTF_8))
			.isEqualTo(WRITTEN_RECEIPT);
	}

	@Test
	void membersInAnyOrderAreReadBackExactly() {
		assertThat(this.codec.decode(WRITTEN_RECEIPT.getBytes(StandardCharsets.UTF_8), Receipt.class))
			.isEqualTo(RECEIPT);
		assertThat(this.codec.decode(SORTED_RECEIPT.getBytes(StandardCharsets.UTF_8), Receipt.class))
			.isEqualTo(RECEIPT);
	}

	@Test
	void genericTypesRoundTripAsDeclared() {
		Map<String, Long> totals = new LinkedHashMap<>();
		totals.put("EUR", 12L);
		totals.put("USD", Long.MAX_VALUE);
		assertRoundTrip(List.of(RECEIPT, RECEIPT), new ParameterizedTypeReference<List<Receipt>>() {
		}.getType());
		assertRoundTrip(totals, new ParameterizedTypeReference<Map<String, Long>>() {
		}.getType());
		assertRoundTrip(Map.of("batch", List.of(RECEIPT)),
				new ParameterizedTypeReference<Map<String, List<Receipt>>>() {
				}.getType());
	}

	@Test
	void bytesThatAreNotTheTypeAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> this.codec.decode("{\"amount\":\"many\"}".getBytes(StandardCharsets.UTF_8), Receipt.class))
			.withMessageContaining("Could not read JSON as " + Receipt.class.getName());
	}

	private void assertRoundTrip(Object value, Type type) {
		Object read = this.codec.decode(this.codec.encode(value, type), type);
		assertThat(read).isEqualTo(value);
		if (read instanceof Map<?, ?> map) {
			map.values().forEach((v) -> assertThat(v).isNotInstanceOf(Map.class).isNotNull());
		}
		if (read instanceof List<?> list) {
			list.forEach((v) -> assertThat(v).isInstanceOf(Receipt.class));
		}
	}

}
