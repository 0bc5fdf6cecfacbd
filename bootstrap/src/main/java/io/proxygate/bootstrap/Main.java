package io.proxygate.bootstrap;
public final class Main { public static void main(String[] a) {} }
