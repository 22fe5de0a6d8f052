// Parse calendar feeds with ical.js (Mozilla's parser, used by Thunderbird's web clients and many others) and
// say what a client would see of each: {file: {name, zones, events: [{uid, start, end, summary, alarms}]}}.
// A feed ical.js cannot read, or a value it reads differently, shows as {error} and fails the test.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const result = {};
for (const file of process.argv.slice(2)) {
  try {
    const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
    const zones = calendar.getAllSubcomponents("vtimezone").map((zone) => {
      const timezone = new ICAL.Timezone(zone);    // throws on a VTIMEZONE it cannot use
      return timezone.tzid;
    });
    const events = calendar.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid, start: event.startDate.toString(), end: event.endDate.toString(),
        allDay: event.startDate.isDate, summary: event.summary, sequence: event.sequence,
        categories: component.getAllProperties("categories").flatMap((property) => property.getValues()),
        alarms: component.getAllSubcomponents("valarm").map((alarm) => alarm.getFirstPropertyValue("trigger").toString()),
      };
    });
    result[file] = { name: calendar.getFirstPropertyValue("x-wr-calname"), zones, events };
  } catch (error) {
    result[file] = { error: String(error) };
  }
}
process.stdout.write(JSON.stringify(result));
