package voicecall.tts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * espeak-ng, Korean and English, one process per sentence on a bounded pool of worker threads. The
 * text goes in on standard input (never on the command line, so it cannot be read as an option) and
 * a WAV file comes back on standard output. A cancelled or timed-out synthesis kills its process.
 *
 * <p>Per-sentence processes were kept over long-lived ones: the espeak-ng command line marks no end
 * of an utterance on its output and holds back the end of one line's audio until the next line
 * arrives, and a process start costs only a few milliseconds (see the module README).
 */
final class EspeakSynthesizer implements Synthesizer {

  private static final Logger LOG = LoggerFactory.getLogger(EspeakSynthesizer.class);

  private final String command;
  private final boolean available;
  private final BoundedWorkers workers;

  EspeakSynthesizer(String command, int processes, int queueCapacity) {
    this.command = command;
    this.available = probe(command);
    if (!available) {
      LOG.warn(
          "espeak-ng not found (command '{}'): Korean speech falls back to the next synthesiser"
              + " (remote, if configured); install it with: apt-get install espeak-ng",
          command);
    }
    this.workers = new BoundedWorkers("espeak", processes, queueCapacity);
  }

  /** Whether the command runs (blocking, a few milliseconds). */
  static boolean probe(String command) {
    try {
      Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean available() {
    return available;
  }

  @Override
  public String name() {
    return "espeak-ng";
  }

  @Override
  public boolean supports(Language language) {
    return available;
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    if (!available) {
      return Mono.error(
          new SynthesisException(
              "espeak-ng is not installed (apt-get install espeak-ng); cannot speak " + voice));
    }
    List<String> arguments = List.of(command, "-b", "1", "-v", voiceName(voice), "--stdout");
    AtomicBoolean cancelled = new AtomicBoolean();
    return Mono.using(
            () ->
                new ProcessBuilder(arguments)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start(),
            process ->
                Mono.fromCallable(
                    () -> {
                      try {
                        return run(process, text);
                      } catch (IOException | InterruptedException | RuntimeException e) {
                        if (cancelled.get()) {
                          return null; // killed on purpose: nobody is waiting for an error
                        }
                        throw e;
                      }
                    }),
            process -> {
              if (process.isAlive()) {
                // Killing may touch file descriptors: keep it off non-blocking threads.
                Schedulers.boundedElastic().schedule(process::destroyForcibly);
              }
            })
        .doOnCancel(() -> cancelled.set(true))
        .subscribeOn(workers.scheduler());
  }

  private static String voiceName(Voice voice) {
    if (!voice.isDefault()) {
      return voice.name();
    }
    return voice.language() == Language.KOREAN ? "ko" : "en-us";
  }

  private static PcmAudio run(Process process, String text)
      throws IOException, InterruptedException {
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    byte[] wav;
    try (InputStream out = process.getInputStream()) {
      wav = out.readAllBytes();
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new SynthesisException("espeak-ng exited with " + exit + " for '" + text + "'");
    }
    return Wav.decode(wav);
  }

  @Override
  public void close() {
    workers.close();
  }
}
