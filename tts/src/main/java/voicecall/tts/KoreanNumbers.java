package voicecall.tts;

/** Korean readings of numbers: Sino-Korean, native Korean (for counters) and digit by digit. */
final class KoreanNumbers {

  private static final String[] DIGITS = {"영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"};
  private static final String[] PHONE_DIGITS = {"공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"};
  private static final String[] SMALL_UNITS = {"", "십", "백", "천"};
  private static final String[] LARGE_UNITS = {"", "만", "억", "조", "경"};
  private static final String[] NATIVE_ONES = {
    "", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"
  };
  private static final String[] NATIVE_TENS = {
    "", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"
  };

  private KoreanNumbers() {}

  /** Sino-Korean reading, e.g. 5000 → 오천, 12500 → 만이천오백. */
  static String sino(long value) {
    if (value == 0) {
      return DIGITS[0];
    }
    if (value < 0) {
      return "마이너스 " + sino(-value);
    }
    StringBuilder out = new StringBuilder();
    int group = 0;
    long rest = value;
    while (rest > 0) {
      int part = (int) (rest % 10_000);
      if (part > 0) {
        String words = (part == 1 && group == 1) ? "" : underTenThousand(part);
        out.insert(0, words + LARGE_UNITS[group]);
      }
      rest /= 10_000;
      group++;
    }
    return out.toString();
  }

  private static String underTenThousand(int value) {
    StringBuilder out = new StringBuilder();
    for (int position = 3; position >= 0; position--) {
      int digit = (value / (int) Math.pow(10, position)) % 10;
      if (digit == 0) {
        continue;
      }
      if (digit != 1 || position == 0) {
        out.append(DIGITS[digit]);
      }
      out.append(SMALL_UNITS[position]);
    }
    return out.toString();
  }

  /**
   * Native Korean reading in the form used before a counter (한 개, 두 시, 스무 살); numbers of 100 or
   * more are read Sino-Korean, as people do.
   */
  static String beforeCounter(long value) {
    if (value <= 0 || value >= 100) {
      return sino(value);
    }
    int tens = (int) value / 10;
    int ones = (int) value % 10;
    if (value == 20) {
      return "스무";
    }
    return NATIVE_TENS[tens] + NATIVE_ONES[ones];
  }

  /** Every digit on its own, zero read as 공 as on the phone: 010 → 공일공. */
  static String digits(String digits) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(PHONE_DIGITS[c - '0']);
      }
    }
    return out.toString();
  }

  /** Digits after a decimal point, zero read as 영: 05 → 영오. */
  static String fraction(String digits) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      out.append(DIGITS[digits.charAt(i) - '0']);
    }
    return out.toString();
  }

  /** Month names, with the two irregular ones: 6 → 유월, 10 → 시월. */
  static String month(int month) {
    if (month == 6) {
      return "유월";
    }
    if (month == 10) {
      return "시월";
    }
    return sino(month) + "월";
  }
}
