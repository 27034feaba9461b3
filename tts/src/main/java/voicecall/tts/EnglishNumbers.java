package voicecall.tts;

/** English readings of numbers: cardinals, ordinals, years and digit by digit. */
final class EnglishNumbers {

  private static final String[] ONES = {
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen"
  };
  private static final String[] TENS = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
  };
  private static final String[] SCALES = {"", " thousand", " million", " billion", " trillion"};

  private EnglishNumbers() {}

  /** Cardinal reading, e.g. 1234 → one thousand two hundred thirty-four. */
  static String cardinal(long value) {
    if (value < 0) {
      return "minus " + cardinal(-value);
    }
    if (value < 1000) {
      return underThousand((int) value);
    }
    StringBuilder out = new StringBuilder();
    int scale = 0;
    long rest = value;
    while (rest > 0) {
      int part = (int) (rest % 1000);
      if (part > 0) {
        String words = underThousand(part) + SCALES[scale];
        out.insert(0, out.length() == 0 ? words : words + " ");
      }
      rest /= 1000;
      scale++;
    }
    return out.toString();
  }

  private static String underThousand(int value) {
    if (value < 20) {
      return ONES[value];
    }
    if (value < 100) {
      return TENS[value / 10] + (value % 10 == 0 ? "" : "-" + ONES[value % 10]);
    }
    String hundreds = ONES[value / 100] + " hundred";
    return value % 100 == 0 ? hundreds : hundreds + " " + underThousand(value % 100);
  }

  /** Ordinal reading, e.g. 1 → first, 22 → twenty-second, 100 → one hundredth. */
  static String ordinal(long value) {
    String words = cardinal(value);
    int cut = Math.max(words.lastIndexOf(' '), words.lastIndexOf('-')) + 1;
    String head = words.substring(0, cut);
    String last = words.substring(cut);
    return head + ordinalWord(last);
  }

  private static String ordinalWord(String word) {
    switch (word) {
      case "one":
        return "first";
      case "two":
        return "second";
      case "three":
        return "third";
      case "five":
        return "fifth";
      case "eight":
        return "eighth";
      case "nine":
        return "ninth";
      case "twelve":
        return "twelfth";
      default:
        if (word.endsWith("y")) {
          return word.substring(0, word.length() - 1) + "ieth";
        }
        return word + "th";
    }
  }

  /** A year as people say it: 2024 → twenty twenty-four, 2005 → two thousand five. */
  static String year(int year) {
    if (year >= 2000 && year < 2010 || year < 1000 || year % 1000 == 0) {
      return cardinal(year);
    }
    int high = year / 100;
    int low = year % 100;
    if (low == 0) {
      return cardinal(high) + " hundred";
    }
    return cardinal(high) + (low < 10 ? " oh " : " ") + cardinal(low);
  }

  /** Every digit on its own: 010 → zero one zero. */
  static String digits(String digits) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c >= '0' && c <= '9') {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(ONES[c - '0']);
      }
    }
    return out.toString();
  }
}
