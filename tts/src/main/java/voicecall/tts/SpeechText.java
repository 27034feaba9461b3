package voicecall.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text normalisation for speech: turns what is written into what is said, so that a synthesiser
 * reads "5,000원" as "오천 원" and "$10" as "ten dollars". Handles numbers, decimals, amounts and
 * currencies, times, dates, percentages, units, phone numbers (digit by digit) and common
 * abbreviations in Korean and English. Stateless and thread-safe.
 */
public final class SpeechText {

  private static final String NUMBER = "\\d{1,3}(?:,\\d{3})+|\\d+";
  private static final String DECIMAL = "(?:" + NUMBER + ")(?:\\.\\d+)?";
  private static final int MAX_READABLE_DIGITS = 15;

  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w.,-])(?:\\+?(?:\\(\\d{1,4}\\)[ -]?)?\\d{1,4}(?:-\\d{2,4}){2,3}"
              + "|\\(\\d{2,4}\\)\\s?\\d{3,4}-\\d{4}|1\\d{3}-\\d{4})(?![\\w-])");
  private static final Pattern ISO_DATE =
      Pattern.compile("(?<![\\w-])(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![\\w-])");
  private static final Pattern CLOCK =
      Pattern.compile(
          "(?<![\\d:])(\\d{1,2}):(\\d{2})(?![\\d:])(?:\\s*([AaPp])\\.?\\s?[Mm]\\.?(?![\\w]))?");
  private static final Pattern HOUR_AM_PM =
      Pattern.compile("(?<![\\d:.])(\\d{1,2})\\s*([AaPp])\\.?\\s?[Mm]\\.?(?![\\w])");
  private static final Pattern RANGE = Pattern.compile("(" + DECIMAL + ")\\s*~\\s*(?=\\d)");
  private static final Pattern CURRENCY_BEFORE = Pattern.compile("([₩$€£¥])\\s*(" + DECIMAL + ")");
  private static final Pattern CURRENCY_AFTER =
      Pattern.compile(
          "(" + DECIMAL + ")\\s*(원|달러|유로|엔|KRW|USD|EUR|won|dollars?|euros?)(?![A-Za-z])");
  private static final Pattern PERCENT = Pattern.compile("(" + DECIMAL + ")\\s*%");
  private static final Pattern UNIT =
      Pattern.compile("(" + DECIMAL + ")\\s*(GB|MB|TB|KB|Gbps|Mbps|km|kg|cm|mm)(?![\\w])");
  private static final Pattern KOREAN_ORDINAL = Pattern.compile("(\\d+)\\s*번째");
  private static final Pattern KOREAN_MONTH = Pattern.compile("(\\d{1,2})\\s*월");
  private static final Pattern KOREAN_NATIVE_COUNTER =
      Pattern.compile("(?<![\\d.,])(\\d{1,2})\\s*(시간|시|개(?!월)|명|살|장|대|마리|잔|권|곳|가지|통|달)");
  private static final Pattern ENGLISH_DATE =
      Pattern.compile(
          "\\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
              + "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?\\s+(\\d{1,2})"
              + "(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?");
  private static final Pattern ENGLISH_ORDINAL =
      Pattern.compile("\\b(\\d+)(?:st|nd|rd|th)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMBER_SIGN = Pattern.compile("\\bNo\\.\\s*(?=\\d)");
  private static final Pattern GENERIC_NUMBER = Pattern.compile("(" + DECIMAL + ")");
  private static final Pattern NOT_SPOKEN = Pattern.compile("[^\\p{L}\\p{N}\\s.,!?'\"\\-:;…]");
  private static final Pattern SPACE_BEFORE_PUNCTUATION = Pattern.compile("\\s+([.,!?;:…])");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };

  private static final List<Replacement> KOREAN_WORDS =
      replacements(
          Map.ofEntries(
              Map.entry("5G", "파이브지"),
              Map.entry("4G", "포지"),
              Map.entry("LTE", "엘티이"),
              Map.entry("Wi-Fi", "와이파이"),
              Map.entry("WiFi", "와이파이"),
              Map.entry("eSIM", "이심"),
              Map.entry("USIM", "유심"),
              Map.entry("SMS", "에스엠에스"),
              Map.entry("ARS", "에이알에스"),
              Map.entry("FAQ", "에프에이큐"),
              Map.entry("ID", "아이디"),
              Map.entry("PIN", "핀"),
              Map.entry("&", " 앤 "),
              Map.entry("+", " 플러스 "),
              Map.entry("#", " 우물 정 "),
              Map.entry("*", " 별표 "),
              Map.entry("@", " 골뱅이 ")));

  private static final List<Replacement> ENGLISH_WORDS =
      replacements(
          Map.ofEntries(
              Map.entry("Mr.", "Mister"),
              Map.entry("Mrs.", "Missus"),
              Map.entry("Ms.", "Miz"),
              Map.entry("Dr.", "Doctor"),
              Map.entry("St.", "Street"),
              Map.entry("e.g.", "for example"),
              Map.entry("i.e.", "that is"),
              Map.entry("etc.", "et cetera"),
              Map.entry("vs.", "versus"),
              Map.entry("approx.", "approximately"),
              Map.entry("Inc.", "Incorporated"),
              Map.entry("Ltd.", "Limited"),
              Map.entry("5G", "five G"),
              Map.entry("4G", "four G"),
              Map.entry("LTE", "L T E"),
              Map.entry("eSIM", "e SIM"),
              Map.entry("USIM", "U SIM"),
              Map.entry("SMS", "S M S"),
              Map.entry("FAQ", "F A Q"),
              Map.entry("ID", "I D"),
              Map.entry("PIN", "pin"),
              Map.entry("&", " and "),
              Map.entry("+", " plus "),
              Map.entry("#", " hash "),
              Map.entry("*", " star "),
              Map.entry("@", " at ")));

  private SpeechText() {}

  /**
   * Rewrites text the way it is spoken.
   *
   * @param text the written text
   * @param language the language the text is in
   * @return the spoken form, with single spaces; empty when nothing in it can be spoken
   */
  public static String normalise(String text, Language language) {
    if (!isSpeakable(text)) {
      return "";
    }
    String spoken = language == Language.KOREAN ? korean(text) : english(text);
    spoken = NOT_SPOKEN.matcher(spoken).replaceAll(" ");
    spoken = SPACES.matcher(spoken).replaceAll(" ").strip();
    spoken = SPACE_BEFORE_PUNCTUATION.matcher(spoken).replaceAll("$1");
    return isSpeakable(spoken) ? spoken : "";
  }

  /**
   * Whether the text holds anything a synthesiser can say (a letter or a digit).
   *
   * @param text any text
   * @return true when at least one letter or digit is present
   */
  public static boolean isSpeakable(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  private static String korean(String text) {
    String s = text;
    s = replace(ISO_DATE, s, m -> koreanIsoDate(m));
    s = replace(PHONE, s, m -> phone(m.group(), KoreanNumbers::digits, "플러스 "));
    s = replace(CLOCK, s, SpeechText::koreanClock);
    s = replace(HOUR_AM_PM, s, m -> amPmKorean(m.group(2)) + " " + hourKorean(m.group(1)) + " 시");
    s = replaceWords(KOREAN_WORDS, s);
    s = replace(RANGE, s, m -> koreanDecimal(m.group(1)) + "에서 ");
    s = replace(CURRENCY_BEFORE, s, m -> koreanAmount(m.group(2), m.group(1)));
    s = replace(CURRENCY_AFTER, s, m -> koreanAmount(m.group(1), m.group(2)));
    s = replace(PERCENT, s, m -> koreanDecimal(m.group(1)) + " 퍼센트");
    s = replace(UNIT, s, m -> koreanDecimal(m.group(1)) + " " + koreanUnit(m.group(2)));
    s =
        replace(
            KOREAN_ORDINAL,
            s,
            m -> {
              long n = parse(m.group(1));
              return (n == 1 ? "첫" : KoreanNumbers.beforeCounter(n)) + " 번째";
            });
    s =
        replace(
            KOREAN_MONTH,
            s,
            m -> {
              int month = (int) parse(m.group(1));
              return month >= 1 && month <= 12 ? KoreanNumbers.month(month) : m.group();
            });
    s =
        replace(
            KOREAN_NATIVE_COUNTER,
            s,
            m -> KoreanNumbers.beforeCounter(parse(m.group(1))) + " " + m.group(2));
    s = replace(GENERIC_NUMBER, s, m -> koreanDecimal(m.group(1)) + " ");
    return s;
  }

  private static String english(String text) {
    String s = text;
    s =
        replace(
            ISO_DATE,
            s,
            m -> {
              int month = (int) parse(m.group(2));
              int day = (int) parse(m.group(3));
              if (!validDate(month, day)) {
                return m.group();
              }
              return englishDate(month, day, m.group(1));
            });
    s = replace(PHONE, s, m -> phone(m.group(), EnglishNumbers::digits, "plus "));
    s =
        replace(
            ENGLISH_DATE,
            s,
            m -> {
              int month = monthIndex(m.group(1));
              int day = (int) parse(m.group(2));
              if (!validDate(month, day)) {
                return m.group();
              }
              return englishDate(month, day, m.group(3));
            });
    s = replace(CLOCK, s, SpeechText::englishClock);
    s =
        replace(
            HOUR_AM_PM,
            s,
            m ->
                EnglishNumbers.cardinal(parse(m.group(1)))
                    + " "
                    + m.group(2).toUpperCase(Locale.ROOT)
                    + " M");
    s = replace(NUMBER_SIGN, s, m -> "number ");
    s = replaceWords(ENGLISH_WORDS, s);
    s = replace(RANGE, s, m -> englishDecimal(m.group(1)) + " to ");
    s = replace(CURRENCY_BEFORE, s, m -> englishAmount(m.group(2), m.group(1)));
    s = replace(CURRENCY_AFTER, s, m -> englishAmount(m.group(1), m.group(2)));
    s = replace(PERCENT, s, m -> englishDecimal(m.group(1)) + " percent");
    s =
        replace(
            UNIT, s, m -> englishDecimal(m.group(1)) + " " + englishUnit(m.group(1), m.group(2)));
    s = replace(ENGLISH_ORDINAL, s, m -> EnglishNumbers.ordinal(parse(m.group(1))));
    s = replace(GENERIC_NUMBER, s, m -> " " + englishDecimal(m.group(1)) + " ");
    return s;
  }

  private static String phone(String number, Function<String, String> digits, String plus) {
    List<String> groups = new ArrayList<>();
    for (String group : number.split("[^0-9+]+")) {
      if (group.isEmpty()) {
        continue;
      }
      String prefix = group.startsWith("+") ? plus : "";
      groups.add(prefix + digits.apply(group));
    }
    return String.join(", ", groups);
  }

  private static String koreanIsoDate(MatchResult m) {
    int month = (int) parse(m.group(2));
    int day = (int) parse(m.group(3));
    if (!validDate(month, day)) {
      return m.group();
    }
    return KoreanNumbers.sino(parse(m.group(1)))
        + " 년 "
        + KoreanNumbers.month(month)
        + " "
        + KoreanNumbers.sino(day)
        + " 일";
  }

  private static String koreanClock(MatchResult m) {
    int hour = (int) parse(m.group(1));
    int minute = (int) parse(m.group(2));
    if (hour > 24 || minute > 59) {
      return m.group();
    }
    String amPm;
    int hour12;
    if (m.group(3) != null) {
      amPm = amPmKorean(m.group(3));
      hour12 = hour;
    } else {
      amPm = hour < 12 || hour == 24 ? "오전" : "오후";
      hour12 = hour % 12 == 0 ? 12 : hour % 12;
    }
    String words = amPm + " " + KoreanNumbers.beforeCounter(hour12) + " 시";
    return minute == 0 ? words : words + " " + KoreanNumbers.sino(minute) + " 분";
  }

  private static String amPmKorean(String letter) {
    return letter.equalsIgnoreCase("a") ? "오전" : "오후";
  }

  private static String hourKorean(String hour) {
    return KoreanNumbers.beforeCounter(parse(hour));
  }

  private static String englishClock(MatchResult m) {
    int hour = (int) parse(m.group(1));
    int minute = (int) parse(m.group(2));
    if (hour > 24 || minute > 59) {
      return m.group();
    }
    String suffix = "";
    int hour12 = hour;
    if (m.group(3) != null) {
      suffix = " " + m.group(3).toUpperCase(Locale.ROOT) + " M";
    } else if (hour >= 13 || hour == 0) {
      suffix = hour >= 13 && hour < 24 ? " P M" : " A M";
      hour12 = hour % 12 == 0 ? 12 : hour % 12;
    }
    String hourWords = EnglishNumbers.cardinal(hour12);
    if (minute == 0) {
      return suffix.isEmpty() ? hourWords + " o'clock" : hourWords + suffix;
    }
    String minuteWords =
        minute < 10 ? "oh " + EnglishNumbers.cardinal(minute) : EnglishNumbers.cardinal(minute);
    return hourWords + " " + minuteWords + suffix;
  }

  private static String englishDate(int month, int day, String year) {
    String words = MONTHS[month - 1] + " " + EnglishNumbers.ordinal(day);
    return year == null ? words : words + ", " + EnglishNumbers.year((int) parse(year));
  }

  private static int monthIndex(String name) {
    String prefix = name.substring(0, 3).toLowerCase(Locale.ROOT);
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return i + 1;
      }
    }
    return 0;
  }

  private static boolean validDate(int month, int day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  private static String koreanAmount(String amount, String written) {
    Currency currency = Currency.of(written);
    int dot = amount.indexOf('.');
    if (dot >= 0 && currency.hasMinorUnit() && amount.length() - dot - 1 == 2) {
      long minor = parse(amount.substring(dot + 1));
      String whole = KoreanNumbers.sino(parse(amount.substring(0, dot))) + " " + currency.korean;
      return minor == 0
          ? whole
          : whole + " " + KoreanNumbers.sino(minor) + " " + currency.koreanMinor;
    }
    return koreanDecimal(amount) + " " + currency.korean;
  }

  private static String englishAmount(String amount, String written) {
    Currency currency = Currency.of(written);
    int dot = amount.indexOf('.');
    if (dot >= 0 && currency.hasMinorUnit() && amount.length() - dot - 1 == 2) {
      long whole = parse(amount.substring(0, dot));
      long minor = parse(amount.substring(dot + 1));
      String words =
          EnglishNumbers.cardinal(whole)
              + " "
              + (whole == 1 ? currency.englishOne : currency.englishMany);
      if (minor == 0) {
        return words;
      }
      return words
          + " and "
          + EnglishNumbers.cardinal(minor)
          + " "
          + (minor == 1 ? currency.englishMinorOne : currency.englishMinorMany);
    }
    return englishDecimal(amount)
        + " "
        + (amount.equals("1") ? currency.englishOne : currency.englishMany);
  }

  private static String koreanUnit(String unit) {
    switch (unit) {
      case "GB":
        return "기가바이트";
      case "MB":
        return "메가바이트";
      case "TB":
        return "테라바이트";
      case "KB":
        return "킬로바이트";
      case "Gbps":
        return "기가비피에스";
      case "Mbps":
        return "메가비피에스";
      case "km":
        return "킬로미터";
      case "kg":
        return "킬로그램";
      case "cm":
        return "센티미터";
      default:
        return "밀리미터";
    }
  }

  private static String englishUnit(String amount, String unit) {
    String word;
    switch (unit) {
      case "GB":
        word = "gigabyte";
        break;
      case "MB":
        word = "megabyte";
        break;
      case "TB":
        word = "terabyte";
        break;
      case "KB":
        word = "kilobyte";
        break;
      case "Gbps":
        return "gigabits per second";
      case "Mbps":
        return "megabits per second";
      case "km":
        word = "kilometer";
        break;
      case "kg":
        word = "kilogram";
        break;
      case "cm":
        word = "centimeter";
        break;
      default:
        word = "millimeter";
    }
    return amount.equals("1") ? word : word + "s";
  }

  private static String koreanDecimal(String number) {
    return decimal(
        number, KoreanNumbers::sino, KoreanNumbers::digits, " 점 ", KoreanNumbers::fraction);
  }

  private static String englishDecimal(String number) {
    return decimal(
        number,
        EnglishNumbers::cardinal,
        EnglishNumbers::digits,
        " point ",
        EnglishNumbers::digits);
  }

  /** A number with an optional fraction; a whole part too long to read is read digit by digit. */
  private static String decimal(
      String number,
      LongFunction<String> whole,
      Function<String, String> digits,
      String point,
      Function<String, String> fraction) {
    int dot = number.indexOf('.');
    String wholePart = dot < 0 ? number : number.substring(0, dot);
    String words =
        digitCount(wholePart) > MAX_READABLE_DIGITS
            ? digits.apply(wholePart)
            : whole.apply(parse(wholePart));
    return dot < 0 ? words : words + point + fraction.apply(number.substring(dot + 1));
  }

  private static int digitCount(String number) {
    return number.replace(",", "").length();
  }

  private static long parse(String number) {
    return Long.parseLong(number.replace(",", ""));
  }

  private static String replace(Pattern pattern, String text, Function<MatchResult, String> how) {
    Matcher matcher = pattern.matcher(text);
    return matcher.replaceAll(m -> Matcher.quoteReplacement(how.apply(m)));
  }

  private static String replaceWords(List<Replacement> table, String text) {
    String s = text;
    for (Replacement replacement : table) {
      s = replace(replacement.pattern(), s, m -> replacement.spoken());
    }
    return s;
  }

  private static List<Replacement> replacements(Map<String, String> table) {
    List<Replacement> list = new ArrayList<>();
    table.entrySet().stream()
        .sorted((a, b) -> b.getKey().length() - a.getKey().length())
        .forEach(
            e -> {
              String written = e.getKey();
              boolean word = Character.isLetterOrDigit(written.charAt(0));
              String regex =
                  word
                      ? "(?<![\\w.])" + Pattern.quote(written) + "(?![\\w])"
                      : Pattern.quote(written);
              list.add(new Replacement(Pattern.compile(regex), e.getValue()));
            });
    return List.copyOf(list);
  }

  private record Replacement(Pattern pattern, String spoken) {}
}
