package io.github.idempotency.testapp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.Idempotent;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Idempotent endpoints for every behaviour the tests drive.
 */
@RestController
class TestController {

	private final Executions executions;

	private final Gate gate;

	TestController(Executions executions, Gate gate) {
		this.executions = executions;
		this.gate = gate;
	}

	@PostMapping("/orders")
	@Idempotent
	ResponseEntity<Map<String, Object>> createOrder(@RequestBody Map<String, Object> order) {
		int number = this.executions.record("orders");
		Map<String, Object> body = new LinkedHashMap<>(order);
		body.put("number", number);
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Location", "/orders/" + number)
			.header("X-Order-Number", Integer.toString(number))
			.header("X-Multi", "one", "two")
			.body(body);
	}

	@PostMapping("/plain")
	@Idempotent
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> createPlain(@RequestBody Map<String, Object> order) {
		int number = this.executions.record("plain");
		return Map.of("number", number);
	}

	@PostMapping("/slow")
	@Idempotent
	ResponseEntity<String> slow(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("slow");
		this.gate.pass();
		return ResponseEntity.status(HttpStatus.CREATED).body("slow " + number);
	}

	@PostMapping("/fails-once")
	@Idempotent
	ResponseEntity<String> failsOnce(@RequestBody String body) {
		int number = this.executions.record("fails-once");
		if (number == 1) {
			throw new IllegalStateException("first attempt fails");
		}
		return ResponseEntity.status(HttpStatus.CREATED).body("attempt " + number);
	}

	@PostMapping("/fails-slowly-once")
	@Idempotent
	ResponseEntity<String> failsSlowlyOnce(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("fails-slowly-once");
		if (number == 1) {
			this.gate.pass();
			throw new IllegalStateException("first attempt fails");
		}
		return ResponseEntity.status(HttpStatus.CREATED).body("attempt " + number);
	}

	@PostMapping("/slow-short-wait")
	@Idempotent(waitForInProgress = "1s")
	ResponseEntity<String> slowShortWait(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("slow-short-wait");
		this.gate.pass();
		return ResponseEntity.status(HttpStatus.CREATED).body("slow " + number);
	}

	@PostMapping("/slow-no-wait")
	@Idempotent(waitForInProgress = "0s")
	ResponseEntity<String> slowNoWait(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("slow-no-wait");
		this.gate.pass();
		return ResponseEntity.status(HttpStatus.CREATED).body("slow " + number);
	}

	@PostMapping("/unavailable-once")
	@Idempotent
	ResponseEntity<String> unavailableOnce(@RequestBody String body) {
		int number = this.executions.record("unavailable-once");
		HttpStatus status = (number == 1) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CREATED;
		return ResponseEntity.status(status).body("attempt " + number);
	}

	@PostMapping("/too-many-once")
	@Idempotent
	ResponseEntity<String> tooManyOnce(@RequestBody String body) {
		int number = this.executions.record("too-many-once");
		HttpStatus status = (number == 1) ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.CREATED;
		return ResponseEntity.status(status).body("attempt " + number);
	}

	@PostMapping("/rejects")
	@Idempotent
	ResponseEntity<String> rejects(@RequestBody String body) {
		int number = this.executions.record("rejects");
		return ResponseEntity.badRequest().body("rejected " + number);
	}

	@PostMapping("/optional")
	@Idempotent(required = false)
	ResponseEntity<String> optional(@RequestBody String body) {
		int number = this.executions.record("optional");
		return ResponseEntity.ok("optional " + number);
	}

	@PostMapping("/no-body")
	@Idempotent
	ResponseEntity<Void> noBody() {
		this.executions.record("no-body");
		return ResponseEntity.noContent().header("X-Done", "yes").build();
	}

	@PostMapping("/short-lock")
	@Idempotent(lockTimeout = "1s", ttl = "2s")
	ResponseEntity<String> shortLock(@RequestBody String body) {
		int number = this.executions.record("short-lock");
		return ResponseEntity.status(HttpStatus.CREATED).body("short " + number);
	}

	@PostMapping("/slow-first-time")
	@Idempotent(lockTimeout = "1s")
	ResponseEntity<String> slowFirstTime(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("slow-first-time");
		if (number == 1) {
			this.gate.pass();
		}
		return ResponseEntity.status(HttpStatus.CREATED).body("execution " + number);
	}

	@PostMapping("/hangs")
	@Idempotent(lockTimeout = "5s")
	ResponseEntity<String> hangs(@RequestBody String body) throws InterruptedException {
		int number = this.executions.record("hangs");
		if (Boolean.getBoolean("test.hang")) {
			this.gate.pass();
		}
		return ResponseEntity.status(HttpStatus.CREATED).body("execution " + number);
	}

	@PostMapping("/async-plain")
	java.util.concurrent.Callable<String> asyncPlain(@RequestBody String body) {
		return () -> "async " + this.executions.record("async-plain");
	}

	@PostMapping("/form")
	@Idempotent
	ResponseEntity<String> form(@org.springframework.web.bind.annotation.RequestParam int amount) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body("charged " + amount + " #" + this.executions.record("form"));
	}

	@PostMapping("/form-body")
	@Idempotent
	ResponseEntity<String> formBody(@RequestBody org.springframework.util.MultiValueMap<String, String> form) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body("form " + form.toSingleValueMap() + " #" + this.executions.record("form-body"));
	}

	@PostMapping("/entity")
	@Idempotent
	ResponseEntity<String> entity(org.springframework.http.HttpEntity<String> request) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body("entity " + request.getBody() + " #" + this.executions.record("entity"));
	}

	@PostMapping({ "/logged-orders", "/signed-orders" })
	@Idempotent
	ResponseEntity<String> filteredOrder(@RequestBody String body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(body + " #" + this.executions.record("filtered"));
	}

}
