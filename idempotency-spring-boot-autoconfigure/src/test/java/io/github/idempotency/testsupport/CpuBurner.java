package io.github.idempotency.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Busy-looping processes, one per core, that compete with the application for the CPUs
 * while a test runs. Stopped by {@link #close()}.
 */
public final class CpuBurner implements AutoCloseable {

	private final List<Process> processes;

	private CpuBurner(List<Process> processes) {
		this.processes = processes;
	}

	/**
	 * Starts one busy shell loop per available processor.
	 * @return the running burner
	 */
	public static CpuBurner start() {
		List<Process> processes = new ArrayList<>();
		try {
			for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
				Process process = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
				Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
				processes.add(process);
			}
		}
		catch (IOException ex) {
			processes.forEach(Process::destroyForcibly);
			throw new IllegalStateException("Could not start a busy loop", ex);
		}
		return new CpuBurner(processes);
	}

	@Override
	public void close() {
		for (Process process : this.processes) {
			process.destroyForcibly();
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
