package io.github.idempotency.internal.method;

import io.github.idempotency.testapp.Gate;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A native image can evaluate key expressions over the arguments of
 * {@code @Idempotent(key = ...)} methods and store their return values: their types get
 * binding reflection hints.
 */
class KeyedMethodsAotProcessorTests {

	@Test
	void argumentAndReturnTypesOfKeyedMethodsGetBindingHints() {
		RuntimeHints hints = process(ReceiptService.class);
		for (Class<?> type : new Class<?>[] { PaymentEvent.class, Receipt.class, Receipt.Line.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getSimpleName()).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethod(PaymentEvent.class, "paymentId")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(Receipt.class, "lines")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(Receipt.Line.class, "cents")).accepts(hints);
	}

	@Test
	void beansWithoutKeyedMethodsContributeNothing() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("gate", new RootBeanDefinition(Gate.class));
		assertThat(new KeyedMethodsAotProcessor().processAheadOfTime(RegisteredBean.of(beanFactory, "gate"))).isNull();
	}

	private static RuntimeHints process(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		BeanRegistrationAotContribution contribution = new KeyedMethodsAotProcessor()
			.processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("io.github.idempotency.method", "Generated")),
				new InMemoryGeneratedFiles());
		contribution.applyTo(generationContext, null);
		return generationContext.getRuntimeHints();
	}

}
