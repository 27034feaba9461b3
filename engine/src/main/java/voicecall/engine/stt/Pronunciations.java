package voicecall.engine.stt;

import com.sun.speech.freetts.en.us.CMULexicon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes a pronunciation dictionary restricted to a vocabulary. Each word is looked up, in order,
 * in a list of overrides for acronyms and brands, in the acoustic model's cmudict (with its
 * alternative pronunciations), spelled digit by digit when it is a number, and finally given
 * FreeTTS's letter-to-sound pronunciation, mapped to the model's phone set.
 */
final class Pronunciations {

  /** Acronyms, brands and telephone words that letter-to-sound gets wrong. */
  static final Map<String, List<String>> OVERRIDES = overrides();

  private static final Map<Character, String> DIGITS =
      Map.of(
          '0',
          "Z IH R OW",
          '1',
          "W AH N",
          '2',
          "T UW",
          '3',
          "TH R IY",
          '4',
          "F AO R",
          '5',
          "F AY V",
          '6',
          "S IH K S",
          '7',
          "S EH V AH N",
          '8',
          "EY T",
          '9',
          "N AY N");

  private static final Set<String> PHONES =
      Set.of(
          "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G",
          "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T",
          "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH");

  private static @Nullable CMULexicon lexicon;

  private Pronunciations() {}

  private static Map<String, List<String>> overrides() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("esim", List.of("IY S IH M"));
    m.put("sim", List.of("S IH M"));
    m.put("qr", List.of("K Y UW AA R"));
    m.put("wifi", List.of("W AY F AY"));
    m.put("5g", List.of("F AY V JH IY"));
    m.put("4g", List.of("F AO R JH IY"));
    m.put("lte", List.of("EH L T IY IY"));
    m.put("pin", List.of("P IH N"));
    m.put("puk", List.of("P AH K", "P IY Y UW K EY"));
    m.put("imei", List.of("AY M IY", "AY EH M IY IY AY"));
    m.put("sms", List.of("EH S EH M EH S"));
    m.put("mms", List.of("EH M EH M EH S"));
    m.put("usb", List.of("Y UW EH S B IY"));
    m.put("id", List.of("AY D IY"));
    m.put("ok", List.of("OW K EY"));
    m.put("app", List.of("AE P"));
    m.put("apps", List.of("AE P S"));
    m.put("itemised", List.of("AY T AH M AY Z D"));
    return Map.copyOf(m);
  }

  /**
   * Writes the dictionary of {@code vocabulary} to {@code out}.
   *
   * @param cmudict the model's dictionary file ({@code word PH PH ...}, alternatives as {@code
   *     word(2)})
   * @return the words whose pronunciation came from letter-to-sound
   */
  static List<String> write(Set<String> vocabulary, Path cmudict, Path out) throws IOException {
    Map<String, List<String>> found = new TreeMap<>();
    try (BufferedReader reader = Files.newBufferedReader(cmudict, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        int space = line.indexOf(' ');
        if (space <= 0) {
          continue;
        }
        String word = SphinxDecoder.baseForm(line.substring(0, space));
        if (vocabulary.contains(word) && !OVERRIDES.containsKey(word)) {
          found.computeIfAbsent(word, w -> new ArrayList<>()).add(line.substring(space + 1).trim());
        }
      }
    }
    List<String> guessed = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String word : new java.util.TreeSet<>(vocabulary)) {
      List<String> prons = OVERRIDES.get(word);
      if (prons == null) {
        prons = found.get(word);
      }
      if (prons == null && word.chars().allMatch(Character::isDigit)) {
        prons = List.of(spellDigits(word));
      }
      if (prons == null) {
        String lts = letterToSound(word);
        if (lts.isEmpty()) {
          continue;
        }
        prons = List.of(lts);
        guessed.add(word);
      }
      for (int i = 0; i < prons.size(); i++) {
        text.append(word);
        if (i > 0) {
          text.append('(').append(i + 1).append(')');
        }
        text.append(' ').append(prons.get(i)).append('\n');
      }
    }
    Files.writeString(out, text, StandardCharsets.UTF_8);
    return List.copyOf(guessed);
  }

  static String spellDigits(String digits) {
    StringBuilder out = new StringBuilder();
    for (char c : digits.toCharArray()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(DIGITS.get(c));
    }
    return out.toString();
  }

  /**
   * FreeTTS's CMU lexicon and letter-to-sound rules, mapped to the acoustic model's phones: upper
   * case, no stress digits, {@code ax} → {@code AH}, {@code axr} → {@code ER}, pauses dropped.
   */
  static synchronized String letterToSound(String word) {
    try {
      CMULexicon lex = lexicon;
      if (lex == null) {
        lex = new CMULexicon("cmulex");
        lex.load();
        lexicon = lex;
      }
      String[] phones = lex.getPhones(word.replace("'", ""), null);
      if (phones == null) {
        return "";
      }
      StringBuilder out = new StringBuilder();
      for (String phone : phones) {
        String p = phone.replaceAll("[0-9]", "").toUpperCase(Locale.ROOT);
        if (p.equals("AX")) {
          p = "AH";
        } else if (p.equals("AXR")) {
          p = "ER";
        }
        if (!PHONES.contains(p)) {
          continue;
        }
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(p);
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("FreeTTS CMU lexicon could not be loaded", e);
    }
  }
}
