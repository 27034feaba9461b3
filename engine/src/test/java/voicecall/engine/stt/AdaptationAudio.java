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
 * <p>Arguments: {@code <corpus file> <output directory> <SNRs in dB, comma-separated>}. The noise
 * seeds (from 1 000 000 on) are not those of the tests.
 */
final class AdaptationAudio {

  private static final long SEED_BASE = 1_000_000L;

  private AdaptationAudio() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: <corpus> <output directory> <snr,snr,...>");
    }
    Path corpus = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String[] snrText = args[2].split(",");
    double[] snrs = new double[snrText.length];
    for (int i = 0; i < snrs.length; i++) {
      snrs[i] = Double.parseDouble(snrText[i].trim());
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
      for (int n = 0; n < sentences.size(); n++) {
        String text = String.join(" ", sentences.get(n));
        double snr = snrs[(n + v) % snrs.length];
        long seed = SEED_BASE + 10L * n + v;
        PcmAudio audio = Speech.telephone(voice, text, snr, seed);
        seconds += audio.duration().toNanos() / 1e9;
        String id = String.format(Locale.ROOT, "%s_%03d_%02.0fdb", voice, n, snr);
        Files.write(out.resolve(id + ".raw"), decoderInput(audio));
        ids.append(id).append('\n');
        transcription.append("<s> ").append(text).append(" </s> (").append(id).append(")\n");
      }
      Files.writeString(out.resolve(voice + ".fileids"), ids, StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(voice + ".transcription"), transcription, StandardCharsets.UTF_8);
    }
    System.out.printf(
        Locale.ROOT,
        "%d sentences x %d voices, %.0f s of audio, SNRs %s dB, in %s%n",
        sentences.size(),
        Speech.VOICES.length,
        seconds,
        args[2],
        out);
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
