"""Sums every Surefire and Failsafe report into one closing line."""
import glob
import xml.etree.ElementTree as ET

tests = failures = errors = skipped = 0
for path in glob.glob("*/target/surefire-reports/TEST-*.xml") + glob.glob("*/target/failsafe-reports/TEST-*.xml"):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    failures += int(suite.get("failures", 0))
    errors += int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
failed = failures + errors
print(f"{tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
