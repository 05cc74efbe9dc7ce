package io.github.idempotency.testsupport;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The test JVM's class path with libraries taken out, for application JVMs that must
 * start the way an application without those libraries does: the jars are really absent,
 * not just hidden from a class loader.
 */
public final class TestClassPath {

	private TestClassPath() {
	}

	/**
	 * Returns the class path without every jar whose file name starts with one of the
	 * prefixes. Each of the {@code required} prefixes must match at least one jar, so a
	 * renamed artifact fails the test instead of leaving the library in.
	 * @param required prefixes that must each remove a jar, e.g. {@code "lettuce-core-"}
	 * @param alsoRemoved prefixes of jars removed when present (dependencies of the
	 * library)
	 * @return the reduced class path
	 */
	public static String without(List<String> required, String... alsoRemoved) {
		List<String> kept = new ArrayList<>();
		List<String> unmatched = new ArrayList<>(required);
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			String name = Path.of(entry).getFileName().toString();
			boolean removed = false;
			for (String prefix : required) {
				if (name.startsWith(prefix)) {
					unmatched.remove(prefix);
					removed = true;
				}
			}
			removed = removed || Arrays.stream(alsoRemoved).anyMatch(name::startsWith);
			if (!removed) {
				kept.add(entry);
			}
		}
		if (!unmatched.isEmpty()) {
			throw new IllegalStateException("No jar on the test class path starts with " + unmatched
					+ "; the test would not prove the library's absence");
		}
		return String.join(File.pathSeparator, kept);
	}

}
