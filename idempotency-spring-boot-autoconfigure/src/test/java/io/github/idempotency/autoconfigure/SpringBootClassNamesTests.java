package io.github.idempotency.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.idempotency.testapp.TestApplication;
import io.github.idempotency.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Class names kept as strings exist where they are meant to: a mistyped or moved name
 * would otherwise be ignored silently (an ordering lost, an exclusion that excludes
 * nothing).
 */
class SpringBootClassNamesTests {

	@Test
	void everyNameOfTheRunningLineExistsAndNoneOfTheOtherLine() throws IllegalAccessException {
		String running = SpringBootLine.BOOT4 ? "BOOT4_" : "BOOT3_";
		List<String> missing = new ArrayList<>();
		List<String> unexpected = new ArrayList<>();
		for (Field field : SpringBootClassNames.class.getDeclaredFields()) {
			if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
				continue;
			}
			String name = (String) field.get(null);
			boolean present = ClassUtils.isPresent(name, getClass().getClassLoader());
			if (field.getName().startsWith(running) && !present) {
				missing.add(field.getName() + " = " + name);
			}
			if (!field.getName().startsWith(running) && present) {
				unexpected.add(field.getName() + " = " + name);
			}
		}
		assertThat(missing).as("names that should exist on this Spring Boot line").isEmpty();
		assertThat(unexpected).as("names of the other line that exist here").isEmpty();
	}

	@Test
	void autoConfigurationOrdersItselfAfterRedisMetricsJacksonAndDataSourceOnTheRunningLine() {
		List<String> after = Arrays
			.asList(IdempotencyAutoConfiguration.class.getAnnotation(AutoConfiguration.class).afterName());
		assertThat(after.stream().filter((name) -> ClassUtils.isPresent(name, getClass().getClassLoader()))).hasSize(5)
			.anyMatch((name) -> name.endsWith("RedisAutoConfiguration"))
			.anyMatch((name) -> name.endsWith(".DataSourceAutoConfiguration"))
			.anyMatch((name) -> name.endsWith(".JacksonAutoConfiguration"))
			.anyMatch((name) -> name.endsWith(".MetricsAutoConfiguration"))
			.anyMatch((name) -> name.endsWith(".CompositeMeterRegistryAutoConfiguration"));
	}

	@Test
	void testApplicationExcludesSpringSecurityOnTheRunningLine() {
		String[] excluded = TestApplication.class.getAnnotation(EnableAutoConfiguration.class).excludeName();
		assertThat(Arrays.stream(excluded).filter((name) -> ClassUtils.isPresent(name, getClass().getClassLoader())))
			.hasSize(SpringBootLine.BOOT4 ? 5 : 4);
	}

}
