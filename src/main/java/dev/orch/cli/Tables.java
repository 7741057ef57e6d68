package dev.orch.cli;

import java.util.List;

/** Column alignment shared by every table the CLI prints. */
final class Tables {
    private static final int GAP = 3;

    private Tables() {}

    static String align(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + GAP));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One row in the column widths of an earlier table (cell width + gap), as {@code get -w} prints changes. */
    static String pad(String[] row, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            sb.append(row[i]);
            if (i < row.length - 1) {
                int w = i < widths.length ? widths[i] : row[i].length() + GAP;
                sb.append(" ".repeat(Math.max(GAP, w - row[i].length())));
            }
        }
        return sb.toString();
    }
}
