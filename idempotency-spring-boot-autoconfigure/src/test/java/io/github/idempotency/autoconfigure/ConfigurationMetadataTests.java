package io.github.idempotency.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property has IDE help (R20): the generated metadata describes each one, with its
 * default where it has a fixed one.
 */
class ConfigurationMetadataTests {

	private static final List<String> FIXED_NAMES = List.of("idempotency.enabled", "idempotency.store",
			"idempotency.ttl", "idempotency.lock-timeout", "idempotency.header-name", "idempotency.key-prefix",
			"idempotency.store-failure");

	@Test
	void everyPropertyHasADescription() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> assertThat(property.path("description").asText())
			.as("description of %s", name)
			.isNotBlank()
			.endsWith("."));
	}

	@Test
	void theContractsPropertyNamesExist() throws IOException {
		assertThat(properties()).containsKeys(FIXED_NAMES.toArray(String[]::new));
	}

	@Test
	void everyPropertyWithAFixedDefaultDocumentsIt() throws IOException {
		Map<String, JsonNode> properties = properties();
		List<String> withoutDefault = new ArrayList<>();
		properties.forEach((name, property) -> {
			if (!property.has("defaultValue") && !name.equals("idempotency.store")) {
				withoutDefault.add(name);
			}
		});
		assertThat(withoutDefault).isEmpty();
		assertThat(properties.get("idempotency.ttl").path("defaultValue").asText()).isEqualTo("24h");
		assertThat(properties.get("idempotency.lock-timeout").path("defaultValue").asText()).isEqualTo("30s");
		assertThat(properties.get("idempotency.header-name").path("defaultValue").asText()).isEqualTo("Idempotency-Key");
	}

	@Test
	void theReadmeDocumentsEveryProperty() throws IOException {
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
		for (String name : properties().keySet()) {
			assertThat(readme).as("README documents %s", name)
				.contains("| `" + name.substring("idempotency.".length()) + "` |");
		}
	}

	@Test
	void enumeratedValuesHaveHints() throws IOException {
		JsonNode metadata = read("META-INF/spring-configuration-metadata.json");
		List<String> hinted = new ArrayList<>();
		metadata.path("hints").forEach((hint) -> hinted.add(hint.path("name").asText()));
		assertThat(hinted).contains("idempotency.store", "idempotency.store-failure");
	}

	private static Map<String, JsonNode> properties() throws IOException {
		Map<String, JsonNode> properties = new HashMap<>();
		read("META-INF/spring-configuration-metadata.json").path("properties").forEach((property) -> {
			String name = property.path("name").asText();
			if (name.startsWith("idempotency.")) {
				properties.merge(name, property, (a, b) -> a.has("description") ? a : b);
			}
		});
		return properties;
	}

	private static JsonNode read(String resource) throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as("%s on the class path", resource).isNotNull();
			return new ObjectMapper().readTree(in);
		}
	}

}
