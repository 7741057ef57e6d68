package dev.orch.api;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts by lines (LCS; manifests are small), with {@code context} lines around changes. */
final class LineDiff {
    private LineDiff() {}

    static String unified(String oldName, String newName, String a, String b, int context) {
        String[] x = a.isEmpty() ? new String[0] : a.split("\n", -1);
        String[] y = b.isEmpty() ? new String[0] : b.split("\n", -1);
        int n = x.length;
        int m = y.length;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // edit script: ' ', '-', '+' per line
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x[i].equals(y[j])) {
                ops.add(" " + x[i++]);
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add("-" + x[i++]); // removals before additions, as diff -u prints them
            } else {
                ops.add("+" + y[j++]);
            }
        }
        if (ops.stream().allMatch(o -> o.charAt(0) == ' ')) {
            return "";
        }
        StringBuilder sb = new StringBuilder("--- " + oldName + "\n+++ " + newName + "\n");
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).charAt(0) == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            // extend the hunk while changes are within 2*context lines of each other
            int last = k;
            while (end < ops.size()) {
                if (ops.get(end).charAt(0) != ' ') {
                    last = end;
                } else if (end - last > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), last + context + 1);
            int oldStart = 1;
            int newStart = 1;
            for (int p = 0; p < start; p++) {
                char c = ops.get(p).charAt(0);
                oldStart += c != '+' ? 1 : 0;
                newStart += c != '-' ? 1 : 0;
            }
            int oldLen = 0;
            int newLen = 0;
            for (int p = start; p < end; p++) {
                char c = ops.get(p).charAt(0);
                oldLen += c != '+' ? 1 : 0;
                newLen += c != '-' ? 1 : 0;
            }
            sb.append("@@ -").append(oldLen == 0 ? oldStart - 1 : oldStart).append(',').append(oldLen)
                    .append(" +").append(newLen == 0 ? newStart - 1 : newStart).append(',').append(newLen).append(" @@\n");
            for (int p = start; p < end; p++) {
                sb.append(ops.get(p)).append('\n');
            }
            k = end;
        }
        return sb.toString();
    }
}
