package voicecall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * The speech tools application tests need: flite for the caller's voice, PocketSphinx for local
 * recognition, espeak-ng for Korean replies. Tests that need them are skipped without them locally,
 * and fail under {@code CI=true} ({@code .ci/run} installs them).
 */
public final class SpeechTools {

  private SpeechTools() {}

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean pocketSphinx() {
    return Files.isDirectory(Path.of("/usr/share/pocketsphinx/model/en-us"))
        && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3"));
  }

  /**
   * Skips the test without flite and espeak-ng, or fails it under {@code CI=true}: for tests that
   * must work without PocketSphinx.
   */
  public static void assumeFliteAndEspeak() {
    require(runs("flite", "-lv") && runs("espeak-ng", "--version"), "flite and espeak-ng");
  }

  private static void require(boolean ready, String tools) {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ready).as(tools + " must be installed in CI").isTrue();
    }
    assumeTrue(ready, tools + " are not all installed");
  }

  /**
   * Skips the test without flite and PocketSphinx (and espeak-ng when asked for), or fails it under
   * {@code CI=true}.
   *
   * @param espeak whether espeak-ng is needed too
   */
  public static void assume(boolean espeak) {
    boolean ready =
        runs("flite", "-lv") && pocketSphinx() && (!espeak || runs("espeak-ng", "--version"));
    require(ready, espeak ? "flite, espeak-ng and pocketsphinx" : "flite and pocketsphinx");
  }

  /**
   * Text spoken by flite's {@code slt} voice, trimmed of leading and trailing silence.
   *
   * @param text what to say
   * @return the audio at flite's own rate
   */
  public static PcmAudio flite(String text) {
    return flite("slt", text);
  }

  /**
   * Text spoken by one of flite's voices, trimmed of leading and trailing silence.
   *
   * @param voice {@code slt}, {@code rms}, {@code awb}, {@code kal16}, …
   * @param text what to say
   * @return the audio at the voice's own rate
   */
  public static PcmAudio flite(String voice, String text) {
    try {
      Path wav = Files.createTempFile("flite", ".wav");
      try {
        assertThat(runs("flite", "-voice", voice, "-t", text, "-o", wav.toString()))
            .as("flite speaks with voice %s", voice)
            .isTrue();
        return Wav.decode(Files.readAllBytes(wav)).trimSilence(-50, Duration.ZERO);
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
