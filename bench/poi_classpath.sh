#!/bin/sh
# The class path `bench/ResavePoi.java` runs with: Debian's POI (libapache-poi-java) and the
# libraries HSSF needs, as installed under /usr/share/java.
j=/usr/share/java
printf '%s' "$j/poi.jar:$j/commons-collections4.jar:$j/commons-codec.jar:$j/commons-math3.jar"
