"""What comes in: your LinkedIn export (and the LinkedIn messages it logs), your interviews
file, interviews and their people set by hand, your mail and your calendar invitations."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import inbox, invitations, roster
from ..domain import Interview, InterviewPerson
from ..errors import BackchannelError
from ..readers.interviews import parse_role
from ..results import (
    InterviewsResult,
    MailResult,
)
from ..roster import MatchReport
from ..workspace import ImportSummary
from .core import Core

if TYPE_CHECKING:

    from ..invitations import InviteChange
    from ..readers.invites import Invite


__all__ = ["Intake"]


class Intake(Core):
    """See :class:`~backchannel.api.Backchannel`."""

    # ------------------------------------------------------------------ importing

    def import_linkedin(self, path: str | os.PathLike[str], *, owner: str | None = None,
                        progress: Any = None) -> ImportSummary:
        """Import an export (ZIP, folder or Connections.csv); returns what changed. Its
        messages with your interviews' people log the touches they fulfil, as mail does
        (:meth:`import_mail`; ``summary.followups``)."""
        from ..bulk import gc_paused
        from ..readers.export import read_export

        me = self.workspace.self_owner() if owner is None else None
        known = {"owner_name": me["name"] if me["name"] != "me" else "", "owner_profile_url": me["profile_url"]} \
            if me else {}
        # (messages before your first interview, or a year ago, fulfil no touch)
        starts = [iv.at for iv in self.workspace.interviews()] if owner is None else []
        since = max(min(starts), self.clock() - timedelta(days=365)) if starts else None
        people = list(self._profile_addresses()) if since is not None else []  # (only their messages are kept)
        with gc_paused():  # a million rows, keys and facts, all alive until the transaction ends
            # what is known of you tells your messages from theirs
            export = read_export(path, **known, messages_since=since, messages_of=people)
            with self._writing(lambda: None):
                summary = self.workspace.import_export(export, owner=owner, aliases=self.config.aliases,
                                                       now=self.clock(), progress=progress)
            recent = export.recent_messages
            del export  # (freed before the collector is back: its next collection need not walk it)
        if recent:
            summary.followups = self._log_linkedin(recent)
        return summary

    def _profile_addresses(self) -> dict[str, list[tuple[str, str]]]:
        """The profile key of each person your interviews' plans reach, to (interview, person)."""
        plans = self._plans(self.clock())
        return inbox.addresses_of(plans.values(), self._reached(plans.values(), "profile_url"), profiles=True)

    def _log_linkedin(self, messages: Sequence[inbox.Message]) -> inbox.MailLog | None:
        """LinkedIn messages with your interviews' people (by profile address), logged as mail is."""
        from ..identity import profile_key

        me = self.workspace.self_owner()
        own = profile_key(me["profile_url"]) if me is not None else ""
        if not own:
            return None
        now = self.clock()
        addresses = self._profile_addresses()
        messages = [m for m in messages if m.sender in addresses or any(r in addresses for r in m.recipients)]
        if not messages:
            return None
        with self._writing(lambda: []) as ws:
            log = inbox.log_messages(messages, interviews={iv.id: iv for iv in ws.interviews()},
                                     events=ws.events_by_interview(), addresses=addresses, own=[own],
                                     known=ws.known_messages(), plan_at=self._plan_at, calendar_of=self._calendar,
                                     now=now, zone=self.zone(), source="linkedin")
            for event in log.removed:
                ws.delete_event(event.seq, undone=False)
            for logged in log.logged:
                ws.add_event(logged.event)
        return log

    def import_interviews(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> MatchReport:
        """Import the interviews file; returns how each person was matched, or why not. Importing
        it again changes only what its columns say: details you set in the terminal after the
        file was saved are kept (and reported) unless ``overwrite``."""
        from ..readers.interviews import read_interviews

        parsed = read_interviews(path, zone=self.zone(), default_language="", default_country="")
        file_time = datetime.fromtimestamp(Path(path).stat().st_mtime, timezone.utc).isoformat()
        ids = [iv.id for iv in parsed.interviews]
        with self._writing(lambda: ids) as ws:  # (read inside the transaction: an edit at the same time is seen)
            notes = roster.merge_imports({iv.id: iv for iv in ws.interviews(ids)}, parsed.interviews,
                                         set(parsed.columns), file_time=file_time, overwrite=overwrite,
                                         aliases=self.config.aliases)
            ws.save_interviews(parsed.interviews, now=self.clock(), aliases=self.config.aliases)
        report = self.match_report(*ids)
        report.unknown_columns, report.duplicates, report.notes = parsed.unknown_columns, parsed.duplicates, notes
        return report

    def match_report(self, *interview_ids: str) -> MatchReport:
        """How interviews' people and mutuals match your connections now."""
        ws = self.workspace
        interviews = ws.interviews(interview_ids)
        mutuals = {iv.id: ws.interview_mutuals(iv.id) for iv in interviews}
        ids = {p.person_id for iv in interviews for p in iv.people if p.person_id}
        ids |= {m["person_id"] for rows in mutuals.values() for m in rows if m["person_id"]}
        names = {pid: row["name"] for pid, row in ws.people_by_id(ids).items()}
        return MatchReport(list(interview_ids), sum(len(iv.people) for iv in interviews),
                           roster.describe_matches(interviews, mutuals, names),
                           no_connections=ws.self_owner() is None)

    # ------------------------------------------------------------------ interviews by hand

    def add_interview(self, *, company: str, date: str, people: Sequence[tuple[str, str]], interview_id: str = "",
                      position: str = "", topic: str = "", discreet: bool = False, language: str = "",
                      country: str = "") -> MatchReport:
        """Record an interview without a CSV. ``people`` are (role, name or profile address)."""
        iv = roster.new_interview(company=company, at=self.parse_time(date, default_time=time(17, 0), what="--date"),
                                  people=people, interview_id=interview_id, position=position, topic=topic,
                                  discreet=discreet, language=language, country=country,
                                  aliases=self.config.aliases, when=self.clock().isoformat())
        with self._writing(lambda: [iv.id]) as ws:
            if ws.find_interview(iv.id) is not None:  # (inside the transaction: two adds never both succeed)
                raise BackchannelError(f"interview {iv.id} already exists; change it with: backchannel interview "
                                       f"edit {iv.id} (or give --id)")
            ws.save_interviews([iv], now=self.clock(), aliases=self.config.aliases)
        return self.match_report(iv.id)

    def edit_interview(self, interview_id: str, **changes: Any) -> Interview:
        """Change an interview's details: company, date, position, topic, discreet, language, country."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)  # read inside the transaction: a concurrent edit is never lost
            roster.edit_interview(iv, changes, parse_time=self.parse_time, aliases=self.config.aliases,
                                  when=self.clock().isoformat())
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        return iv

    def set_person(self, interview_id: str, person: str, *, role: str | None = None, **details: Any) -> MatchReport:
        """Set a person's details in an interview (email, title, interests, mutuals, notes, topic,
        language, profile_url, works_at); with ``role``, a new person is added."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)
            found = roster.person_to_set(iv, person, role, when=self.clock().isoformat())
            roster.set_person_details(found, details, when=self.clock().isoformat())
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        report = self.match_report(interview_id)
        names = {found.name, found.profile_url} - {""}
        report.matches = [m for m in report.matches if m.name in names or m.mutual_of in names]
        return report

    def remove_person(self, interview_id: str, person: str) -> InterviewPerson:
        """Take someone off an interview (an invitation's team address, someone who did not
        come); what was logged with them stays in the log."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)
            removed = roster.remove_person(iv, person)
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        return removed

    def interviews(self) -> InterviewsResult:
        """Your interviews, in date order."""
        return InterviewsResult(self.workspace.interviews(), zone=self.zone())

    # ------------------------------------------------------------------ mail and invitations

    def own_addresses(self, me: Iterable[str] = ()) -> tuple[str, ...]:
        """Your own mail addresses: ``me``, then the config's ``email``, those you gave before,
        then your export's ``Email Addresses.csv`` (when the export is still where it was)."""
        owner = self.workspace.self_owner()
        return inbox.your_addresses(me, self.config.emails, self.workspace.own_addresses(),
                                    owner["source"] if owner is not None else "")

    def import_mail(self, path: str | os.PathLike[str], *, me: Iterable[str] = (), not_me: Iterable[str] = (),
                    dry_run: bool = False) -> MailResult:
        """Read a mail archive (mbox, Maildir, a folder of .eml files): each message you sent to
        an interview person logs the touch it fulfils, each answer notes their reply (see
        ``inbox``). Nothing you logged by hand changes; ``dry_run`` writes nothing. ``not_me``:
        addresses that are not yours after all (a typo given to ``me`` before), forgotten."""
        from ..readers.mail import read_mail

        wrong = inbox.checked_addresses(not_me, "--not-me")
        own = tuple(a for a in self.own_addresses(me) if a not in wrong)
        if not own:
            raise BackchannelError("which addresses are yours? give --me ADDRESS (or set email = \"...\" in the "
                                   "config, or import an export with Email Addresses.csv)")
        now = self.clock()
        plans = self._plans(now)
        addresses = inbox.addresses_of(plans.values(), self._emails(plans.values()))
        for address in own:
            if address in addresses:  # (yours and theirs: every message would be to them, or none from them)
                iv_id, slug = addresses[address][0]
                name = inbox.person_name(plans[iv_id].interview, slug, plans[iv_id])
                raise BackchannelError(
                    f"{address} is both yours and {name}'s ({iv_id}): if it is not yours, --not-me {address}; "
                    f"if it is not theirs, backchannel interview person {iv_id} \"{name}\" --email THEIR-ADDRESS")
        archive = read_mail(path, only=addresses)
        messages = list(archive)  # (read before the write lock is taken: a big archive takes a while)
        with self._writing(lambda: []) if not dry_run else contextlib.nullcontext(self.workspace) as ws:
            log = inbox.log_messages(messages, interviews={iv.id: iv for iv in ws.interviews()},
                                     events=ws.events_by_interview(), addresses=addresses, own=own,
                                     known=ws.known_messages(), plan_at=self._plan_at, calendar_of=self._calendar,
                                     now=now, zone=self.zone())
            if not dry_run:
                ws.forget_own_addresses(wrong)
                ws.add_own_addresses([a for a in inbox.checked_addresses(me) if a not in wrong],
                                     at=now)  # the next command knows them
                for event in log.removed:  # (read again in order with an earlier message)
                    ws.delete_event(event.seq, undone=False)
                for logged in log.logged:
                    ws.add_event(logged.event)
        return MailResult(str(path), archive.found, len(messages), log, archive.skipped, archive.warnings,
                          dry_run=dry_run, own=own)

    def add_from_invite(self, path: str | os.PathLike[str], *, me: Iterable[str] = (), company: str = "",
                        organizer_role: str = "recruiter", ask_company: Callable[[Invite], str] | None = None
                        ) -> InviteChange:
        """An interview from its calendar invitation (.ics, or the invitation email): a new one,
        or the one you recorded at that company and time (its people get the invitation's
        addresses); a newer version of the same invitation moves it; a cancelled one says so."""
        from ..identity import normalise_company
        from ..readers.invites import read_invite
        from ..times import zone_name

        names = [name for written in self.workspace.company_names().values() for name in written]
        own = self.own_addresses(me)
        invite = read_invite(path, own_addresses=own, companies=names, zone=self.zone(),
                             organizer_role=roster.checked(parse_role, organizer_role, "--organizer-role"),
                             own_name=self.workspace.your_name())
        invite = invitations.without_you(invite, self.workspace.your_name())
        company = company.strip() or invite.company or (ask_company(invite) if ask_company else "")
        if not company:
            raise BackchannelError(f"{invite.path}: the invitation does not say which company it is for "
                                   f"({invite.summary!r}); add --company NAME")
        zone = invite.zone if invite.zone_source not in ("utc", "floating") else zone_name(self.zone(), invite.start)
        with self._writing(lambda: [change.interview]) as ws:
            ws.add_own_addresses(inbox.checked_addresses(me), at=self.clock())
            change, changed = invitations.apply_invite(invite, ws.interviews(), company=company,
                                                 company_key=normalise_company(company, self.config.aliases),
                                                 zone=zone, when=self.clock().isoformat(), own=own)
            if changed is not None:
                ws.save_interviews([changed], now=self.clock(), aliases=self.config.aliases)
        change.notes[:0] = invite.notes  # what the reader noticed (an all-day event, a zone it did not know)
        return change
