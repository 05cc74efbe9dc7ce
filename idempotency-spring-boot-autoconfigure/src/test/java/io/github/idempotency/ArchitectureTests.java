package io.github.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of the jar, kept by tests rather than by a drawing: the API apart from the
 * internals, each door on its own, the claim engine below doors and stores, no cycles,
 * one simple name per class, and every package {@code @NullMarked}.
 */
@AnalyzeClasses(packages = "io.github.idempotency", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	/**
	 * The packages users build on; everything else is internal, or auto-configuration.
	 */
	static final String[] API = { "io.github.idempotency", "io.github.idempotency.client", "io.github.idempotency.jdbc",
			"io.github.idempotency.kafka", "io.github.idempotency.method", "io.github.idempotency.webflux" };

	static final String[] DOORS = { "..internal.servlet..", "..internal.reactive..", "..internal.method.." };

	static final String[] STORES = { "..internal.redis..", "..internal.jdbc..", "..internal.memory.." };

	static final String[] WEB_FRAMEWORKS = { "jakarta.servlet..", "org.springframework.web..",
			"org.springframework.http.server..", "reactor.netty.." };

	/** The most public types outside the internal and auto-configuration packages. */
	static final int MAX_API_TYPES = 40;

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.github.idempotency.(**)").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule layers = layeredArchitecture()
		.consideringOnlyDependenciesInAnyPackage("io.github.idempotency..")
		.layer("Auto-configuration")
		.definedBy("io.github.idempotency.autoconfigure..")
		.layer("Integrations")
		.definedBy("..internal.actuate..", "..internal.startup..", "..internal.micrometer..", "..internal.openapi..",
				"..internal.client..", "..internal.amqp..", "..internal.security..")
		.layer("Doors")
		.definedBy(DOORS)
		.layer("HTTP rules")
		.definedBy("..internal.http..")
		.layer("Stores")
		.definedBy(STORES)
		.layer("Claim engine")
		.definedBy("..internal.claim..")
		.layer("Foundations")
		.definedBy("..internal.fingerprint..", "..internal.observation..", "..internal.record..", "..internal.store..",
				"..internal.aop..", "..internal.timer..")
		.layer("API")
		.definedBy(API)
		.whereLayer("Auto-configuration")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("Integrations")
		.mayOnlyBeAccessedByLayers("Auto-configuration")
		.whereLayer("Doors")
		.mayOnlyBeAccessedByLayers("Auto-configuration")
		.whereLayer("HTTP rules")
		.mayOnlyBeAccessedByLayers("Doors", "Integrations", "Auto-configuration")
		.whereLayer("Stores")
		.mayOnlyBeAccessedByLayers("Integrations", "Auto-configuration")
		.whereLayer("Claim engine")
		.mayOnlyBeAccessedByLayers("Doors", "HTTP rules", "Integrations", "Auto-configuration")
		.whereLayer("Foundations")
		.mayOnlyBeAccessedByLayers("Claim engine", "Stores", "HTTP rules", "Doors", "Integrations",
				"Auto-configuration");

	@ArchTest
	static final ArchRule servletDoorStandsAlone = noClasses().that()
		.resideInAPackage("..internal.servlet..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..internal.reactive..", "..internal.method..", "io.github.idempotency.webflux..");

	@ArchTest
	static final ArchRule reactiveDoorStandsAlone = noClasses().that()
		.resideInAPackage("..internal.reactive..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..internal.servlet..", "..internal.method..", "jakarta.servlet..");

	@ArchTest
	static final ArchRule methodDoorStandsAlone = noClasses().that()
		.resideInAPackage("..internal.method..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..internal.servlet..", "..internal.reactive..", "..internal.http..");

	@ArchTest
	static final ArchRule claimEngineKnowsNoDoorNoStoreNoWeb = noClasses().that()
		.resideInAPackage("..internal.claim..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(concat(DOORS, STORES, WEB_FRAMEWORKS, "..internal.http.."));

	@ArchTest
	static final ArchRule storesKnowNoDoorNoWeb = noClasses().that()
		.resideInAnyPackage(STORES)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(concat(DOORS, WEB_FRAMEWORKS, "..internal.http..", "..internal.claim.."));

	@ArchTest
	static final ArchRule healthAndPropertiesKnowNoStore = noClasses().that()
		.resideInAPackage("..internal.actuate..")
		.or()
		.haveSimpleName("IdempotencyProperties")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(STORES);

	@ArchTest
	static final ArchRule apiKnowsNoInternals = noClasses().that()
		.resideInAnyPackage(API)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..internal..", "io.github.idempotency.autoconfigure..");

	@ArchTest
	static final ArchRule apiSignaturesNameNoInternalType = classes().that()
		.resideInAnyPackage(API)
		.and()
		.arePublic()
		.or()
		.haveSimpleName("IdempotencyProperties")
		.should(nameNoInternalTypeInTheirApi());

	@ArchTest
	static void everyPackageIsNullMarked(JavaClasses classes) {
		Set<String> unmarked = packages(classes).stream()
			.filter((javaPackage) -> !javaPackage.isAnnotatedWith(NullMarked.class))
			.map(JavaPackage::getName)
			.collect(Collectors.toCollection(java.util.TreeSet::new));
		assertThat(unmarked).as("packages without @NullMarked in their package-info.java").isEmpty();
	}

	@ArchTest
	static void noTwoClassesShareASimpleName(JavaClasses classes) {
		Map<String, List<String>> byName = new TreeMap<>();
		for (JavaClass javaClass : classes) {
			if (javaClass.isTopLevelClass() && !isPackageInfo(javaClass)
					&& !javaClass.getPackageName().matches(".*\\.autoconfigure\\.boot[34]")) {
				byName.computeIfAbsent(javaClass.getSimpleName(), (name) -> new ArrayList<>()).add(javaClass.getName());
			}
		}
		byName.values().removeIf((names) -> names.size() < 2);
		assertThat(byName).as("top-level classes that share a simple name").isEmpty();
	}

	@ArchTest
	static void theApiStaysSmall(JavaClasses classes) {
		List<String> api = classes.stream()
			.filter((javaClass) -> javaClass.getModifiers().contains(JavaModifier.PUBLIC)
					&& !javaClass.getPackageName().contains(".internal")
					&& !javaClass.getPackageName().contains(".autoconfigure") && javaClass.isTopLevelClass()
					&& !isPackageInfo(javaClass))
			.map(JavaClass::getName)
			.sorted()
			.toList();
		assertThat(api).as("public types outside internal and autoconfigure")
			.isNotEmpty()
			.hasSizeLessThanOrEqualTo(MAX_API_TYPES);
	}

	@ArchTest
	static void everyInternalPackageSaysItIsNotApi(JavaClasses classes) {
		List<String> internal = packages(classes).stream()
			.map(JavaPackage::getName)
			.filter((name) -> name.contains(".internal"))
			.sorted()
			.toList();
		assertThat(internal).isNotEmpty()
			.allSatisfy((name) -> assertThat(classes.contain(name + ".package-info")).as(name + " has a package-info")
				.isTrue());
	}

	private static boolean isPackageInfo(JavaClass javaClass) {
		return javaClass.getSimpleName().equals("package-info");
	}

	private static Set<JavaPackage> packages(JavaClasses classes) {
		return classes.stream()
			.filter((javaClass) -> javaClass.getPackageName().startsWith("io.github.idempotency"))
			.map(JavaClass::getPackage)
			.collect(Collectors.toSet());
	}

	private static ArchCondition<JavaClass> nameNoInternalTypeInTheirApi() {
		DescribedPredicate<JavaClass> internal = DescribedPredicate.describe("internal",
				(type) -> type.getPackageName().contains(".internal"));
		return new ArchCondition<>("name no internal type in a public or protected signature") {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				List<JavaType> exposed = new ArrayList<>();
				javaClass.getSuperclass().ifPresent(exposed::add);
				exposed.addAll(javaClass.getInterfaces());
				for (JavaMember member : javaClass.getMembers()) {
					if (!member.getModifiers().contains(JavaModifier.PUBLIC)
							&& !member.getModifiers().contains(JavaModifier.PROTECTED)) {
						continue;
					}
					if (member instanceof JavaField field) {
						exposed.add(field.getType());
					}
					if (member instanceof JavaCodeUnit codeUnit) {
						exposed.add(codeUnit.getReturnType());
						exposed.addAll(codeUnit.getParameterTypes());
						exposed.addAll(codeUnit.getThrowsClause().getTypes());
					}
				}
				for (JavaType type : exposed) {
					for (JavaClass involved : type.getAllInvolvedRawTypes()) {
						if (internal.test(involved)) {
							events.add(SimpleConditionEvent.violated(javaClass,
									javaClass.getName() + " exposes the internal type " + involved.getName()));
						}
					}
				}
			}

		};
	}

	private static String[] concat(Object... parts) {
		List<String> all = new ArrayList<>();
		for (Object part : parts) {
			if (part instanceof String[] array) {
				all.addAll(List.of(array));
			}
			else {
				all.add((String) part);
			}
		}
		return all.toArray(String[]::new);
	}

}
