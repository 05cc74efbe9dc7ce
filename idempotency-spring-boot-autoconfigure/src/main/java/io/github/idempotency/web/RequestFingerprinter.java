package io.github.idempotency.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Computes the fingerprint of a request: SHA-256 over the method, the path, the request
 * parameters (query and form fields, sorted by name) and the canonical body. A JSON body is canonical when its object members are sorted and
 * insignificant whitespace is gone, so {@code {"a":1,"b":2}} and {@code { "b": 2, "a": 1 }}
 * are the same request; any other body (or JSON that does not parse) counts byte for byte.
 */
final class RequestFingerprinter {

	private final ObjectMapper json = JsonMapper.builder()
		.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
		.build();

	RequestFingerprinter() {
		this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
	}

	String fingerprint(HttpServletRequest request, byte[] body) {
		Sha256 sha = Sha256.create().field(request.getMethod()).field(request.getRequestURI());
		Map<String, String[]> parameters = new TreeMap<>(request.getParameterMap());
		sha.field(Integer.toString(parameters.size()));
		parameters.forEach((name, values) -> {
			sha.field(name).field(Integer.toString(values.length));
			for (String value : values) {
				sha.field(value);
			}
		});
		JsonNode tree = isJson(request.getContentType()) ? parse(body) : null;
		if (tree != null) {
			sha.field("json");
			canonical(tree, sha.digest());
		}
		else {
			sha.field("raw").field(body);
		}
		return sha.hex();
	}

	private JsonNode parse(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return this.json.readTree(body);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean isJson(String contentType) {
		return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
	}

	private static void canonical(JsonNode node, MessageDigest digest) {
		if (node.isObject()) {
			List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
			node.fields().forEachRemaining(members::add);
			members.sort(Map.Entry.comparingByKey());
			digest.update((byte) '{');
			for (Map.Entry<String, JsonNode> member : members) {
				text(quoted(member.getKey()), digest);
				digest.update((byte) ':');
				canonical(member.getValue(), digest);
				digest.update((byte) ',');
			}
			digest.update((byte) '}');
		}
		else if (node.isArray()) {
			digest.update((byte) '[');
			for (Iterator<JsonNode> elements = node.elements(); elements.hasNext();) {
				canonical(elements.next(), digest);
				digest.update((byte) ',');
			}
			digest.update((byte) ']');
		}
		else {
			text(node.toString(), digest);
		}
	}

	private static String quoted(String name) {
		return com.fasterxml.jackson.databind.node.TextNode.valueOf(name).toString();
	}

	private static void text(String value, MessageDigest digest) {
		digest.update(value.getBytes(StandardCharsets.UTF_8));
	}

}
