package voicecall.engine.testspeech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/** Runs a synthesiser's command line that writes a WAV file, and reads the file back. */
final class WavCommand {

  private WavCommand() {}

  /**
   * Whether a command runs and exits with 0.
   *
   * @param command the command and its arguments
   * @return true when it does
   */
  static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code command} followed by the path of a fresh WAV file and returns the audio written.
   *
   * @param command the command and its arguments, without the output file
   * @return the audio
   * @throws IllegalStateException when the command fails or times out
   */
  static PcmAudio synthesise(List<String> command) {
    try {
      Path wav = Files.createTempFile("speech", ".wav");
      try {
        List<String> full = new ArrayList<>(command);
        full.add(wav.toString());
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] log = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException(command.get(0) + " failed: " + new String(log));
        }
        return Wav.decode(Files.readAllBytes(wav));
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
