package dev.sluice.auth;

import java.util.regex.Pattern;

/**
 * The form of an AWS region name: a partition prefix, one to three words and a number ({@code us-east-1},
 * {@code us-gov-west-1}, {@code eusc-de-east-1}). Only the form is checked; which regions exist is not, so a region
 * AWS opens tomorrow works today.
 */
public final class RegionName {
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]{1,16}){1,3}-\\d{1,2}");

    private RegionName() {}

    public static boolean isRegion(String text) {
        return text != null && REGION.matcher(text).matches();
    }
}
