"""Notifications keep English source text and its values, so each reader sees them in their
own language. Messages already posted (English text with the values written in) are split
back into text and values where they match a message the platform sends; anything else is
left as it is and still shows as before."""

import re

from django.db import migrations, models

# The messages with values that areas posted before this change (frozen here on purpose).
TITLES = [
    "New referral %(number)s",
    "Referral %(number)s accepted",
    "Referral %(number)s declined",
    "Referral %(number)s withdrawn",
    "A missing-person report is overdue (%(ref)s)",
    "Forfeiture notice due by %(date)s for property %(ref)s",
    "The claim window for property %(ref)s ended on %(date)s",
    "%(count)d new actions on %(bill)s",
    "New action on %(bill)s: %(action)s",
]
BODIES = [
    "A referral for %(reference)s is waiting for an answer (%(urgency)s).",
    "The referral for %(reference)s was accepted.",
    "The referral for %(reference)s was declined. Open it to see why.",
]
# Values that were themselves translated words (a choice label): translated for each reader.
TRANSLATED_VALUES = {"urgency"}
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _pattern(template):
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        name, kind = match.groups()
        parts.append(rf"(?P<{name}>\d+)" if kind == "d" else rf"(?P<{name}>.+?)")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts) + r"\Z", re.S)


def _split(text, templates):
    for template in templates:
        match = _pattern(template).match(text)
        if match:
            params = {}
            for name, kind in PLACEHOLDER.findall(template):
                value = match.group(name)
                if kind == "d":
                    value = int(value)
                elif name in TRANSLATED_VALUES:
                    value = {"translate": value}
                params[name] = value
            return template, params
    return None


def split_stored_messages(apps, schema_editor):
    notification_model = apps.get_model("accounts", "Notification")
    changed = []
    for note in notification_model.objects.only("pk", "title", "body").iterator():
        dirty = False
        for field, templates in (("title", TITLES), ("body", BODIES)):
            found = _split(getattr(note, field), templates)
            if found:
                setattr(note, field, found[0])
                setattr(note, f"{field}_params", found[1])
                dirty = True
        if dirty:
            changed.append(note)
    notification_model.objects.bulk_update(
        changed, ["title", "title_params", "body", "body_params"], batch_size=500
    )


def join_stored_messages(apps, schema_editor):
    notification_model = apps.get_model("accounts", "Notification")
    changed = []
    for note in notification_model.objects.iterator():
        for field in ("title", "body"):
            params = getattr(note, f"{field}_params")
            if params:
                values = {
                    k: v["translate"] if isinstance(v, dict) else v for k, v in params.items()
                }
                setattr(note, field, getattr(note, field) % values)
        changed.append(note)
    notification_model.objects.bulk_update(changed, ["title", "body"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_preferred_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="body_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="values in the message"),
        ),
        migrations.AddField(
            model_name="notification",
            name="title_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="values in the title"),
        ),
        migrations.RunPython(split_stored_messages, join_stored_messages),
    ]
