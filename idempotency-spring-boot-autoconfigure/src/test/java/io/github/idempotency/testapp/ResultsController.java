package io.github.idempotency.testapp;

import java.util.Map;

import io.github.idempotency.Idempotent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;

/**
 * Idempotent methods whose result is not a body: a primitive, a redirect, a view name and
 * a {@code ModelAndView}.
 */
@Controller
class ResultsController {

	private final Executions executions;

	ResultsController(Executions executions) {
		this.executions = executions;
	}

	@PostMapping("/results/primitive")
	@Idempotent
	@ResponseBody
	long primitive() {
		return 1000 + this.executions.record("primitive");
	}

	@PostMapping("/results/flag")
	@Idempotent
	@ResponseBody
	boolean flag() {
		return this.executions.record("flag") > 0;
	}

	@PostMapping("/results/redirect")
	@Idempotent
	String redirect() {
		return "redirect:/orders?created=" + this.executions.record("redirect");
	}

	@PostMapping("/results/forward")
	@Idempotent
	String forward() {
		this.executions.record("forward");
		return "forward:/results/primitive";
	}

	@PostMapping("/results/view")
	@Idempotent
	String view(org.springframework.ui.Model model) {
		model.addAttribute("number", this.executions.record("view"));
		return "receiptView";
	}

	@PostMapping("/results/model-and-view")
	@Idempotent
	ModelAndView modelAndView() {
		return new ModelAndView("receiptView", Map.of("number", this.executions.record("model-and-view")));
	}

	/**
	 * A view resolved by bean name: renders the model's {@code number} as plain text.
	 */
	static final class ReceiptView implements View {

		@Override
		public String getContentType() {
			return MediaType.TEXT_PLAIN_VALUE;
		}

		@Override
		public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response)
				throws Exception {
			response.setContentType(MediaType.TEXT_PLAIN_VALUE);
			response.setHeader("X-View", "receipt");
			response.getWriter().write("receipt view #" + model.get("number"));
		}

	}

}
