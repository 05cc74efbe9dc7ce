package io.github.idempotency.sample;

import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Serves the reactive stack on Netty. The sample carries Tomcat for its servlet stack
 * too, and Spring Boot 3 would take Tomcat for a reactive application as well (Spring
 * Boot 4 takes Netty by itself, and then this adds nothing); the factory is named by
 * class name because its package differs between Spring Boot 3 and 4. An application with
 * only {@code spring-boot-starter-webflux} needs none of this.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveServer {

	private static final String BOOT3_NETTY = "org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory";

	private static final String BOOT4_NETTY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";

	@Bean
	static BeanDefinitionRegistryPostProcessor nettyInsteadOfTomcat() {
		return (registry) -> {
			if (registry.containsBeanDefinition("tomcatReactiveWebServerFactory")) {
				registry.removeBeanDefinition("tomcatReactiveWebServerFactory");
			}
			String name = ClassUtils.isPresent(BOOT4_NETTY, null) ? BOOT4_NETTY : BOOT3_NETTY;
			if (!registry.containsBeanDefinition("nettyReactiveWebServerFactory")) {
				registry.registerBeanDefinition("nettyReactiveWebServerFactory",
						new RootBeanDefinition(ClassUtils.resolveClassName(name, null)));
			}
		};
	}

}
