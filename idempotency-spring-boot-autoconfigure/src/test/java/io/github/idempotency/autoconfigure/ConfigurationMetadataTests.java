package io.github.idempotency.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property has IDE help (R20): the generated metadata describes each one, with its
 * default where it has a fixed one.
 */
class ConfigurationMetadataTests {

	private static final List<String> FIXED_NAMES = List.of("idempotency.enabled", "idempotency.store",
			"idempotency.ttl", "idempotency.lock-timeout", "idempotency.header-name", "idempotency.key-prefix",
			"idempotency.store-failure");

	/** Properties whose default is to be unset: detected, or off until configured. */
	private static final List<String> UNSET_BY_DEFAULT = List.of("idempotency.store", "idempotency.jdbc.platform",
			"idempotency.observations.enabled", "idempotency.encryption.keys", "idempotency.encryption.current-key");

	@Test
	void everyPropertyHasADescription() throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> assertThat(text(property, "description")).as("description of %s", name)
			.isNotBlank()
			.endsWith("."));
	}

	@Test
	void theContractsPropertyNamesExist() throws IOException {
		assertThat(properties()).containsKeys(FIXED_NAMES.toArray(String[]::new));
	}

	@Test
	void everyPropertyWithAFixedDefaultDocumentsIt() throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		List<String> withoutDefault = new ArrayList<>();
		properties.forEach((name, property) -> {
			if (!property.containsKey("defaultValue") && !UNSET_BY_DEFAULT.contains(name)) {
				withoutDefault.add(name);
			}
		});
		assertThat(withoutDefault).isEmpty();
		assertThat(text(properties.get("idempotency.ttl"), "defaultValue")).isEqualTo("24h");
		assertThat(text(properties.get("idempotency.lock-timeout"), "defaultValue")).isEqualTo("30s");
		assertThat(text(properties.get("idempotency.header-name"), "defaultValue")).isEqualTo("Idempotency-Key");
	}

	@Test
	void thePropertyReferenceDocumentsEveryPropertyWithItsDefault() throws IOException {
		List<String> rows = java.nio.file.Files
			.readAllLines(java.nio.file.Path.of("..", "docs", "reference", "properties.md"));
		properties().forEach((name, property) -> {
			String row = "| `" + name.substring("idempotency.".length()) + "` |";
			List<String> documented = rows.stream().filter((line) -> line.startsWith(row)).toList();
			assertThat(documented).as("rows of docs/reference/properties.md for %s", name).hasSize(1);
			if (property.containsKey("defaultValue")) {
				String cell = documented.get(0).split(" \\| ")[1];
				String expected = documentedDefault(property.get("defaultValue"));
				if ("java.time.Duration".equals(property.get("type"))) {
					assertThat(DurationStyle.detectAndParse(cell.replaceAll("^`([^`]*)`.*$", "$1")))
						.as("default of %s in docs/reference/properties.md", name)
						.isEqualTo(DurationStyle.detectAndParse(expected));
				}
				else {
					assertThat(cell).as("default of %s in docs/reference/properties.md", name)
						.contains("`" + expected + "`");
				}
			}
		});
	}

	/**
	 * A default as the reference writes it: lists as a property value, comma-separated.
	 */
	private static String documentedDefault(Object value) {
		return (value instanceof List<?> list) ? String.join(",", list.stream().map(String::valueOf).toList())
				: String.valueOf(value);
	}

	@Test
	void enumeratedValuesHaveHints() throws IOException {
		List<String> hinted = JsonPath.parse(read("META-INF/spring-configuration-metadata.json"))
			.read("$.hints[*].name");
		assertThat(hinted).contains("idempotency.store", "idempotency.store-failure");
	}

	private static Map<String, Map<String, Object>> properties() throws IOException {
		Map<String, Map<String, Object>> properties = new HashMap<>();
		List<Map<String, Object>> all = JsonPath.parse(read("META-INF/spring-configuration-metadata.json"))
			.read("$.properties[*]");
		for (Map<String, Object> property : all) {
			String name = text(property, "name");
			if (name.startsWith("idempotency.")) {
				properties.merge(name, property, (a, b) -> a.containsKey("description") ? a : b);
			}
		}
		return properties;
	}

	private static String text(Map<String, Object> property, String field) {
		Object value = property.get(field);
		return (value != null) ? value.toString() : "";
	}

	private static String read(String resource) throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as("%s on the class path", resource).isNotNull();
			return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

}
