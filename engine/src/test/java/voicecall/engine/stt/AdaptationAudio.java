package voicecall.engine.stt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import voicecall.tts.audio.PcmAudio;

/**
 * Writes the adaptation audio of the noise-adapted acoustic model ({@code engine/src/adapt/
 * adapt.sh} runs it): every sentence of the adaptation corpus spoken by the four flite voices, in
 * the telephone band (8 kHz, µ-law) with white noise at one of several SNRs (rotating over sentence
 * and voice), through the recogniser's own {@link PocketSphinxRecognizer.Input} and {@link
 * NoiseSuppressor}, as 16 kHz little-endian raw audio, the decoder's exact input. Also writes a
 * control file and a transcription per voice ({@code <voice>.fileids}, {@code
 * <voice>.transcription}) in sphinxtrain's format. Sentences with a word missing from the
 * pronunciation dictionary are skipped (and listed).
 *
 * <p>Arguments: {@code <corpus file> <output directory> <SNRs in dB, comma-separated>
 * [<variants>]}. A variant {@code <stretch>:<speed>} has every voice say every sentence once more
 * with its word durations stretched (flite's {@code duration_stretch}, as a caller talking faster
 * or slower) and speed-perturbed ({@link #perturbed}, which stands in for more speakers); the
 * default is {@code 1:1}, the voices as they are. The noise seeds (from 1 000 000 on) are not those
 * of the tests.
 */
final class AdaptationAudio {

  private static final long SEED_BASE = 1_000_000L;

  private AdaptationAudio() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 && args.length != 4) {
      throw new IllegalArgumentException(
          "usage: <corpus> <output directory> <snr,snr,...> [<stretch:speed,...>]");
    }
    Path corpus = Path.of(args[0]);
    Path out = Path.of(args[1]);
    double[] snrs = numbers(args[2]);
    String[] variants = (args.length == 4 ? args[3] : "1:1").split(",");
    double[] stretches = new double[variants.length];
    double[] speeds = new double[variants.length];
    for (int f = 0; f < variants.length; f++) {
      String[] pair = variants[f].split(":");
      if (pair.length != 2) {
        throw new IllegalArgumentException("a variant is <stretch>:<speed>, was " + variants[f]);
      }
      stretches[f] = Double.parseDouble(pair[0].trim());
      speeds[f] = Double.parseDouble(pair[1].trim());
      if (!(stretches[f] >= 0.7 && stretches[f] <= 1.4 && speeds[f] >= 0.8 && speeds[f] <= 1.25)) {
        throw new IllegalArgumentException(
            "stretch must be within 0.7..1.4 and speed within 0.8..1.25: " + variants[f]);
      }
    }
    Set<String> dictionary = dictionary();
    List<List<String>> sentences = new ArrayList<>();
    for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> words = Words.of(line);
      List<String> missing = words.stream().filter(w -> !dictionary.contains(w)).toList();
      if (!missing.isEmpty()) {
        System.out.println("skipped (not in the dictionary: " + missing + "): " + line);
        continue;
      }
      sentences.add(words);
    }
    Files.createDirectories(out);
    double seconds = 0;
    for (int v = 0; v < Speech.VOICES.length; v++) {
      String voice = Speech.VOICES[v];
      StringBuilder ids = new StringBuilder();
      StringBuilder transcription = new StringBuilder();
      for (int f = 0; f < speeds.length; f++) {
        for (int n = 0; n < sentences.size(); n++) {
          String text = String.join(" ", sentences.get(n));
          double snr = snrs[(n + v + f) % snrs.length];
          long seed = SEED_BASE + 10L * n + v + 100_000L * f;
          PcmAudio audio =
              Speech.telephone(
                  perturbed(Speech.flite(voice, text, stretches[f]), speeds[f]),
                  snr,
                  seed,
                  Speech.Noise.WHITE);
          seconds += audio.duration().toNanos() / 1e9;
          String id =
              f == 0 && stretches[f] == 1.0 && speeds[f] == 1.0
                  ? String.format(Locale.ROOT, "%s_%03d_%02.0fdb", voice, n, snr)
                  : String.format(
                      Locale.ROOT,
                      "%s_t%03.0f_s%03.0f_%03d_%02.0fdb",
                      voice,
                      100 * stretches[f],
                      100 * speeds[f],
                      n,
                      snr);
          Files.write(out.resolve(id + ".raw"), decoderInput(audio));
          ids.append(id).append('\n');
          transcription.append("<s> ").append(text).append(" </s> (").append(id).append(")\n");
        }
      }
      Files.writeString(out.resolve(voice + ".fileids"), ids, StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(voice + ".transcription"), transcription, StandardCharsets.UTF_8);
    }
    System.out.printf(
        Locale.ROOT,
        "%d sentences x %d voices x %d variants, %.0f s of audio, SNRs %s dB, in %s%n",
        sentences.size(),
        Speech.VOICES.length,
        speeds.length,
        seconds,
        args[2],
        out);
  }

  private static double[] numbers(String commaSeparated) {
    String[] text = commaSeparated.split(",");
    double[] out = new double[text.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.parseDouble(text[i].trim());
    }
    return out;
  }

  /**
   * Speed perturbation: the audio played {@code speed} times faster, which also scales pitch and
   * formants by {@code speed}, as a shorter or longer vocal tract would (a common way to stand in
   * for more speakers): the samples are taken as recorded at {@code speed} times their rate.
   */
  static PcmAudio perturbed(PcmAudio audio, double speed) {
    return speed == 1.0
        ? audio
        : PcmAudio.of(audio.samples(), (int) Math.round(audio.sampleRate() * speed));
  }

  /** The audio as the decoder gets it in a call: suppressed, 16 kHz, 16-bit little endian. */
  static byte[] decoderInput(PcmAudio telephone) {
    PocketSphinxRecognizer.Input input = new PocketSphinxRecognizer.Input(new NoiseSuppressor());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (PcmAudio frame : telephone.frames(Duration.ofMillis(20))) {
      write(bytes, input.to16k(frame));
    }
    write(bytes, input.flush());
    return bytes.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, short[] samples) {
    for (short s : samples) {
      out.write(s & 0xff);
      out.write((s >> 8) & 0xff);
    }
  }

  private static Set<String> dictionary() throws IOException {
    Set<String> words = new HashSet<>();
    for (String line :
        Files.readAllLines(
            PocketSphinxRecognizer.SYSTEM_MODEL.resolve("cmudict-en-us.dict"),
            StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        words.add(SphinxDecoder.baseForm(line.substring(0, space)));
      }
    }
    return words;
  }
}
