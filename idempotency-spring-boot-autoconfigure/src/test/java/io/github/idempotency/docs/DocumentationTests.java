package io.github.idempotency.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation cannot go stale silently: every relative link of every Markdown page
 * of the repository leads to a file (and, with a {@code #fragment}, to a heading of a
 * Markdown file), and every Java or Kotlin snippet is marked
 * {@code <!-- snippet: path#tag -->} and equals the region between {@code tag::tag[]} and
 * {@code end::tag[]} of code that compiles in the build.
 */
class DocumentationTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern FENCE = Pattern.compile("(?s)```.*?```");

	private static final Pattern CODE_BLOCK = Pattern
		.compile("(?s)(<!-- snippet: ([^#\\s]+)#(\\S+) -->\\n)?```(java|kotlin)\\n(.*?)\\n```");

	private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", ".mvn", "node_modules", ".idea");

	@Test
	void theDocumentationIsWhereTheReadmeSaysAndTheReadmeIsAFrontPage() throws IOException {
		assertThat(pages()).extracting((page) -> ROOT.relativize(page).toString().replace('\\', '/'))
			.contains("README.md", "CONTRIBUTING.md", "docs/README.md", "bench/README.md",
					"docs/reference/properties.md", "docs/reference/status-codes.md");
		assertThat(Files.readAllLines(ROOT.resolve("README.md"))).as("lines of README.md").hasSizeLessThan(200);
	}

	@Test
	void everyRelativeLinkLeadsToAFileAndHeading() {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			Matcher link = LINK.matcher(FENCE.matcher(read(page)).replaceAll(""));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^(https?|mailto):.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String path = (hash >= 0) ? target.substring(0, hash) : target;
				String fragment = (hash >= 0) ? target.substring(hash + 1) : "";
				Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
				if (!Files.exists(resolved)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
				}
				else if (!fragment.isEmpty() && resolved.toString().endsWith(".md")
						&& !headings(resolved).contains(fragment)) {
					broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).as("broken relative links").isEmpty();
	}

	@Test
	void everyCodeSnippetIsTheCodeItIsTakenFrom() {
		List<String> stale = new ArrayList<>();
		int checked = 0;
		for (Path page : pages()) {
			Matcher block = CODE_BLOCK.matcher(read(page));
			while (block.find()) {
				String where = ROOT.relativize(page) + " (" + block.group(4) + " snippet at offset " + block.start()
						+ ")";
				if (block.group(1) == null) {
					stale.add(where + ": not marked <!-- snippet: path#tag -->, so nothing checks it");
					continue;
				}
				Path source = ROOT.resolve(block.group(2));
				if (!Files.exists(source)) {
					stale.add(where + ": " + block.group(2) + " does not exist");
					continue;
				}
				String code = region(source, block.group(3));
				if (code == null) {
					stale.add(where + ": " + block.group(2) + " has no region " + block.group(3));
				}
				else if (!code.equals(normalize(block.group(5)))) {
					stale.add(where + ": differs from " + block.group(2) + "#" + block.group(3) + ", which is now\n"
							+ code);
				}
				checked++;
			}
		}
		assertThat(stale).as("code snippets that are not the code").isEmpty();
		assertThat(checked).as("snippets checked").isGreaterThanOrEqualTo(10);
	}

	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		collect(ROOT, pages);
		return pages;
	}

	private static void collect(Path directory, List<Path> pages) {
		try (Stream<Path> children = Files.list(directory)) {
			for (Path child : children.sorted().toList()) {
				String name = child.getFileName().toString();
				if (Files.isDirectory(child)) {
					if (!SKIPPED_DIRECTORIES.contains(name) && !name.startsWith(".")) {
						collect(child, pages);
					}
				}
				else if (name.endsWith(".md")) {
					pages.add(child);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The anchors GitHub gives a page's headings. */
	private static Set<String> headings(Path page) {
		Set<String> anchors = new HashSet<>();
		for (String line : FENCE.matcher(read(page)).replaceAll("").split("\n")) {
			if (line.matches("^#{1,6} .*")) {
				anchors.add(line.replaceFirst("^#+ ", "")
					.strip()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
					.replace(' ', '-'));
			}
		}
		return anchors;
	}

	private static String region(Path source, String tag) {
		List<String> lines = List.of(read(source).split("\n", -1));
		int start = -1;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.equals("// tag::" + tag + "[]")) {
				start = i + 1;
			}
			else if (line.equals("// end::" + tag + "[]") && start >= 0) {
				return normalize(String.join("\n", lines.subList(start, i)));
			}
		}
		return null;
	}

	/** Tabs as four spaces, the common indentation removed, no trailing blanks. */
	private static String normalize(String code) {
		List<String> lines = code.lines().map((line) -> line.replace("\t", "    ").stripTrailing()).toList();
		int indent = lines.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		return String.join("\n", lines.stream().map((line) -> line.isBlank() ? "" : line.substring(indent)).toList())
			.strip();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
