package io.github.idempotency.internal.aop;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;

import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.KotlinDetector;
import org.springframework.core.Ordered;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * Stops start-up when a Kotlin {@code suspend} function is {@code @Idempotent} and
 * {@code @Transactional} with the transaction advice ordered before (outside) the
 * idempotency advice. Spring's transaction advice invokes a {@code suspend} function
 * itself instead of the next advice in the chain, so advice ordered after it is skipped:
 * the function would run without idempotency on every call.
 */
public final class SuspendingTransactionOrderCheck implements SmartInitializingSingleton {

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates the check.
	 * @param beanFactory the beans searched at start-up
	 */
	public SuspendingTransactionOrderCheck(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<PointcutAdvisor> transactions = this.beanFactory.getBeansOfType(PointcutAdvisor.class, false, false)
			.values()
			.stream()
			.filter((advisor) -> advisor.getAdvice() instanceof TransactionInterceptor)
			.toList();
		if (transactions.isEmpty()) {
			return;
		}
		Collection<IdempotentAdvisor> idempotency = this.beanFactory
			.getBeansOfType(IdempotentAdvisor.class, false, false)
			.values();
		IdempotentAnnotations.forEachAnnotatedMethod(this.beanFactory, (name, userType, method, idempotent) -> {
			if (!KotlinDetector.isSuspendingFunction(method)) {
				return;
			}
			for (IdempotentAdvisor advisor : idempotency) {
				if (!applies(advisor, method, userType)) {
					continue;
				}
				for (PointcutAdvisor transaction : transactions) {
					int transactionOrder = order(transaction);
					if (applies(transaction, method, userType) && transactionOrder <= advisor.getOrder()) {
						throw new BeanInitializationException("@Idempotent suspend function "
								+ IdempotentAnnotations.describe(method) + " of bean '" + name
								+ "' is @Transactional, and the transaction advice (order " + transactionOrder
								+ ") would run before the idempotency advice (idempotency.aspect-order = "
								+ advisor.getOrder() + "): Spring's transaction advice calls a suspend function "
								+ "directly, skipping the advice after it, so the function would run without "
								+ "idempotency. Give idempotency.aspect-order a value below " + transactionOrder
								+ " (the default, 0, is) so that the value is stored after the transaction commits");
					}
				}
			}
		});
	}

	private static boolean applies(PointcutAdvisor advisor, Method method, Class<?> userType) {
		return AopUtils.canApply(advisor.getPointcut(), userType)
				&& advisor.getPointcut().getMethodMatcher().matches(method, userType);
	}

	private static int order(PointcutAdvisor advisor) {
		return (advisor instanceof Ordered ordered) ? ordered.getOrder() : Ordered.LOWEST_PRECEDENCE;
	}

}
