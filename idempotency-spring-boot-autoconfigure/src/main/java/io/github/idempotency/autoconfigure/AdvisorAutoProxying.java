package io.github.idempotency.autoconfigure;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an auto-proxy creator applies the starter's advisors, as
 * {@code @EnableTransactionManagement} does: one the application or Spring Boot
 * registered is used as it is; when there is none ({@code spring.aop.auto=false}, or no
 * AspectJ with {@code spring.aop.proxy-target-class=false}), an infrastructure one is
 * registered, proxying classes unless {@code spring.aop.proxy-target-class=false}, so
 * {@code @Idempotent} never stays silently unapplied. AspectJ's weaver is not needed: the
 * starter's aspects are plain Spring AOP advisors.
 */
class AdvisorAutoProxying implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private boolean proxyTargetClass = true;

	@Override
	public void setEnvironment(Environment environment) {
		this.proxyTargetClass = environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true);
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		if (this.proxyTargetClass) {
			AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
		}
	}

}
