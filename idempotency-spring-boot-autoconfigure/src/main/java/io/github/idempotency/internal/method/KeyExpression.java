package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.github.idempotency.internal.aop.IdempotentAnnotations;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * One SpEL expression of {@code @Idempotent} ({@code key} or {@code fingerprint}) over
 * the arguments of one method, Spring Cache style: parsed and checked once at start-up,
 * evaluated per call. Variables are the method's parameters by name (from
 * {@code -parameters}), by position ({@code #p0}, {@code #a0}), and {@code #root} with
 * {@code args}, {@code method}, {@code methodName}, {@code target} and
 * {@code targetClass}; {@code @name} refers to a bean.
 */
final class KeyExpression {

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private static final Pattern POSITIONAL = Pattern.compile("[pa](\\d+)");

	private final String attribute;

	private final String text;

	private final Expression expression;

	private final Method method;

	private final @Nullable BeanFactoryResolver beans;

	private KeyExpression(String attribute, String text, Expression expression, Method method,
			@Nullable BeanFactory beanFactory) {
		this.attribute = attribute;
		this.text = text;
		this.expression = expression;
		this.method = method;
		this.beans = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
	}

	/**
	 * Parses and checks an expression: it must be valid SpEL, and every variable must be
	 * a parameter of the method (by name or position) or {@code #root}.
	 * @param attribute {@code key} or {@code fingerprint}, for messages
	 * @param text the expression
	 * @param method the method whose arguments it reads
	 * @param beanFactory resolves {@code @name} bean references; may be {@code null}
	 * @return the checked expression
	 * @throws BeanInitializationException naming the method and the expression when it is
	 * wrong
	 */
	static KeyExpression parse(String attribute, String text, Method method, @Nullable BeanFactory beanFactory) {
		Expression expression;
		try {
			expression = PARSER.parseExpression(text);
		}
		catch (ParseException ex) {
			throw invalid(attribute, text, method, "it is not a valid SpEL expression: " + ex.getMessage(), ex);
		}
		List<String> variables = new ArrayList<>();
		collectVariables(((SpelExpression) expression).getAST(), variables);
		String[] names = PARAMETER_NAMES.getParameterNames(method);
		for (String variable : variables) {
			if (!isParameter(variable, method, names)) {
				throw invalid(attribute, text, method,
						"#" + variable + " is not a parameter of the method; use " + describeVariables(method, names),
						null);
			}
		}
		return new KeyExpression(attribute, text, expression, method, beanFactory);
	}

	/**
	 * Evaluates the expression for one call.
	 * @param target the bean the method is called on
	 * @param targetClass the bean's class
	 * @param args the call's arguments
	 * @return the value, possibly {@code null}
	 * @throws IllegalArgumentException naming the method and the expression when
	 * evaluating fails
	 */
	@Nullable Object evaluate(@Nullable Object target, Class<?> targetClass, Object[] args) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
				new KeyExpressionRoot(this.method, args, target, targetClass), this.method, args, PARAMETER_NAMES);
		if (this.beans != null) {
			context.setBeanResolver(this.beans);
		}
		try {
			return this.expression.getValue(context);
		}
		catch (EvaluationException ex) {
			throw new IllegalArgumentException(describe() + " could not be evaluated: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return {@code @Idempotent(key = "...") on Type.method()}, for messages
	 */
	String describe() {
		return "@Idempotent(" + this.attribute + " = \"" + this.text + "\") on "
				+ IdempotentAnnotations.describe(this.method);
	}

	private static void collectVariables(SpelNode node, List<String> variables) {
		if (node instanceof VariableReference) {
			variables.add(node.toStringAST().substring(1));
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			collectVariables(node.getChild(i), variables);
		}
	}

	private static boolean isParameter(String variable, Method method, String @Nullable [] names) {
		if (variable.equals("root") || variable.equals("this")) {
			return true;
		}
		var positional = POSITIONAL.matcher(variable);
		if (positional.matches()) {
			return Integer.parseInt(positional.group(1)) < method.getParameterCount();
		}
		return names != null && Arrays.asList(names).contains(variable);
	}

	private static String describeVariables(Method method, String @Nullable [] names) {
		if (method.getParameterCount() == 0) {
			return "#root (the method has no parameters)";
		}
		String positions = "#p0" + ((method.getParameterCount() > 1) ? "…#p" + (method.getParameterCount() - 1) : "");
		if (names == null) {
			return positions + " (parameter names are not available: compile with -parameters to use them)";
		}
		return "#" + String.join(", #", names) + " or " + positions;
	}

	private static BeanInitializationException invalid(String attribute, String text, Method method, String why,
			@Nullable Throwable cause) {
		String message = "@Idempotent(" + attribute + " = \"" + text + "\") on "
				+ IdempotentAnnotations.describe(method) + ": " + why;
		return (cause != null) ? new BeanInitializationException(message, cause)
				: new BeanInitializationException(message);
	}

}
