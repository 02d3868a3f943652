"""Step: the workspace's region and ID, and the advanced endpoint / gateway settings.

The workspaces are listed live (`ListWorkspaces`) in a thread worker whenever the region or
endpoint changes, into a `WorkspaceList` (tui/widgets/workspace_list.py); when that is not
allowed or not possible, one muted line says why and the ID is typed instead (checked as you
type with the core's rule). The regions offered come from profiles/aws/regions.py.

Workspaces are listed only from a settled endpoint, so nothing meant for a gateway goes to the
public one: the default endpoint when nothing points to a gateway (no base URL, no gateway
token, "a gateway signs" off), listed as soon as the step opens; else the base URL override,
once it is valid and committed (Enter, or leaving the field). While the override is being
typed, or a gateway is set up without one, nothing is listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Collapsible, Input, OptionList, Select, Static, Switch

from profiles.aws.regions import initial_region, is_region, region_choices
from profiles.core.redact import safe
from profiles.core.rules import check_base_url, check_token, check_workspace_id, default_base_url
from tui.screens.base import StepScreen
from tui.state import Draft
from tui.widgets.masked_input import MaskedInput
from tui.widgets.validators import Rule
from tui.widgets.workspace_list import WorkspaceList
from tui.words import plain


@dataclass(frozen=True)
class _Source:
    """What the workspace list depends on. Secrets stay `SecretStr`: the worker's description
    (shown in logs and tracebacks) is built from its arguments' reprs."""

    auth: str | None
    region: str
    base_url: str
    aws_profile: str | None
    gateway_signs: bool
    api_key: SecretStr | None
    gateway_token: SecretStr | None
    original_name: str | None


GATEWAY_SIGNS_LINE = "On only when the gateway holds AWS credentials and signs for you."


class WorkspaceScreen(StepScreen):
    CSS_PATH = "../css/credentials.tcss"  # loaded when the screen is first shown
    STEP = "workspace"
    TITLE_TEXT = "Which workspace, in which region?"
    PURPOSE = "A workspace lives in one region; requests must be sent (and signed) for it."

    def __init__(self, draft: Draft, position: int, total: int) -> None:
        super().__init__(draft, position, total)
        self._source: _Source | None = None
        self._committed_url = draft.base_url.strip()  # the override as last left or submitted
        self._workspace_rule = Rule(lambda v: check_workspace_id(v.strip()))
        self._base_url_rule = Rule(check_base_url, optional=True)
        self._token_rule = Rule(check_token, optional=True)

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        draft = self.draft
        region = initial_region(self.draft.region, os.environ)
        regions = region_choices(region)
        yield Static("Region", classes="field-label")
        yield Select(
            [(r, r) for r in regions],
            prompt="Pick the workspace's region",
            value=region if region is not None else Select.NULL,
            id="region",
        )
        yield Static("", id="endpoint", classes="field-note", markup=False)

        yield Static("Workspace", classes="field-label")
        yield Static("", id="ws-status", classes="field-note", markup=False)
        yield WorkspaceList(id="ws-list")
        yield Input(
            draft.workspace_id,
            placeholder="wrkspc_…",
            validators=[self._workspace_rule],
            id="workspace-id",
        )
        yield Static("", id="workspace-error", classes="field-error", markup=False)

        uses_advanced = bool(
            draft.base_url or draft.gateway_signs or draft.gateway_token
            or draft.gateway_token_store
        )  # fmt: skip
        with Collapsible(title="Advanced: endpoint and gateway", collapsed=not uses_advanced,
                         id="advanced"):  # fmt: skip
            yield Static("Base URL override (empty: the default endpoint)", classes="field-label")
            yield Input(
                draft.base_url,
                placeholder="https://gateway.example.com",
                validators=[self._base_url_rule],
                id="base-url",
            )
            yield Static("", id="base-url-error", classes="field-error", markup=False)
            with Horizontal(id="gateway-signs-row"):
                yield Switch(draft.gateway_signs, id="gateway-signs")
                yield Static(
                    "A gateway signs requests (Claude Code sends them unsigned)",
                    classes="switch-label",
                )
            yield Static(GATEWAY_SIGNS_LINE, id="gateway-signs-note", classes="field-note")
            yield Static("Gateway token (optional)", classes="field-label")
            yield MaskedInput(
                draft.gateway_token.get_secret_value() if draft.gateway_token else "",
                placeholder="sent as Authorization: Bearer …",
                validators=[self._token_rule],
                input_id="gateway-token-input",
                id="gateway-token",
            )
            yield Static("", id="gateway-token-error", classes="field-error", markup=False)
            if draft.gateway_token_store is not None and draft.gateway_token is None:
                yield Static("Leave empty to keep the stored token.", classes="field-note")

    def on_mount(self) -> None:
        super().on_mount()
        for line in self.query(".field-error"):
            line.display = False
        self.query_one("#gateway-signs-row").display = self.draft.auth != "api-key"
        self.query_one("#gateway-signs-note").display = self.draft.auth != "api-key"
        self.query_one("#ws-list").display = False
        self._show_endpoint()
        self._reload()
        if self.query_one("#region", Select).is_blank():
            self.query_one("#region", Select).focus()
        else:
            self.query_one("#workspace-id", Input).focus()

    # --- values ----------------------------------------------------------------------------

    def _region(self) -> str | None:
        value = self.query_one("#region", Select).value
        return value if isinstance(value, str) and is_region(value) else None

    def _base_url(self) -> str | None:
        """The override ("" for none), or None while it is not valid."""
        value = self.query_one("#base-url", Input).value.strip()
        if not value:
            return ""
        try:
            return check_base_url(value)
        except ValueError:
            return None

    def _token(self) -> str | None:
        return self.query_one("#gateway-token-input", Input).value.strip() or None

    def _signs(self) -> bool:
        return self.draft.auth != "api-key" and self.query_one("#gateway-signs", Switch).value

    def _show_endpoint(self) -> None:
        region, base = self._region(), self._base_url()
        if base:
            text = f"Requests go to {base} (override)"
        elif region is not None:
            text = f"Requests go to {default_base_url(region)}"
        else:
            text = "Pick a region to see the endpoint."
        self.query_one("#endpoint", Static).update(text)

    # --- the live list ---------------------------------------------------------------------

    def _reload(self) -> None:
        """List the workspaces again if what the list depends on has changed."""
        region, base = self._region(), self._base_url()
        status = self.query_one("#ws-status", Static)
        unsettled = self._unsettled(base)
        if unsettled is not None:
            self._source = None
            self.workers.cancel_group(self, "workspaces")
            self.query_one("#ws-list").display = False
            status.update(unsettled)
            return
        if region is None or base is None:
            self._source = None
            self.workers.cancel_group(self, "workspaces")
            self.query_one("#ws-list").display = False
            status.update(
                "Pick a region to list its workspaces, or type the ID below."
                if region is None
                else "Fix the base URL to list workspaces, or type the ID below."
            )
            return
        token = self._token()
        source = _Source(
            auth=self.draft.auth,
            region=region,
            base_url=base,
            aws_profile=self.draft.aws_profile,
            gateway_signs=self._signs(),
            api_key=self.draft.api_key,
            gateway_token=SecretStr(token) if token else None,
            original_name=self.draft.original_name,
        )
        if source == self._source:
            return
        self._source = source
        status.update(f"Listing the workspaces in {region} …")
        option_list = self.query_one("#ws-list", OptionList)
        option_list.display = True
        option_list.loading = True
        self._load_workspaces(source, float(getattr(self.app, "check_timeout", 10.0)))

    def _unsettled(self, base: str | None) -> str | None:
        """Why the endpoint is not settled yet (nothing is listed), or None once it is."""
        typed = self.query_one("#base-url", Input).value.strip()
        if typed != self._committed_url:
            return "Press Enter in the base URL (or leave it) to list workspaces, or type the ID."
        if base == "" and self._wants_gateway():
            return (
                "Enter the gateway's base URL under Advanced to list its workspaces, or type "
                "the ID below."
            )
        return None

    def _wants_gateway(self) -> bool:
        """Something points to a gateway: its token (typed or stored) or its signing."""
        stored = self.draft.gateway_token_store is not None or bool(
            self.draft.gateway_token_command
        )
        return self._signs() or self._token() is not None or stored

    @work(thread=True, exclusive=True, exit_on_error=False, group="workspaces")
    def _load_workspaces(self, source: _Source, timeout: float) -> None:
        from profiles.platform.listing import list_workspaces

        try:
            spaces, why = list_workspaces(
                auth=source.auth,
                region=source.region,
                base_url=source.base_url,
                aws_profile=source.aws_profile,
                gateway_signs=source.gateway_signs,
                api_key=source.api_key.get_secret_value() if source.api_key else None,
                gateway_token=(
                    source.gateway_token.get_secret_value() if source.gateway_token else None
                ),
                saved_as=source.original_name,
                timeout=timeout,
            )
        except Exception as exc:  # never crash the screen; say what went wrong
            spaces, why = None, f"cannot list workspaces: {exc}"  # worded when shown
        self.app.call_from_thread(self._workspaces_loaded, source, spaces, why)

    def _workspaces_loaded(
        self, source: _Source, spaces: list[dict[str, Any]] | None, why: str
    ) -> None:
        if not self.is_mounted or source != self._source:
            return  # a newer listing is on its way
        option_list = self.query_one("#ws-list", WorkspaceList)
        option_list.loading = False
        status = self.query_one("#ws-status", Static)
        if spaces is None:
            option_list.display = False
            why = plain(why)[:200].rstrip(".")  # a server may answer at any length
            status.update(safe(f"{why[:1].upper()}{why[1:]} — type the workspace ID below."))
            return
        current = self.query_one("#workspace-id", Input).value.strip()
        shown = option_list.show(spaces, current)
        if not shown:
            option_list.display = False
            status.update(
                f"No workspaces in {source.region}: create one in AWS Console → Claude Platform"
                " on AWS → Workspaces, or type the ID below."
            )
            return
        status.update(f"{shown} workspace(s) in {source.region}: pick one (Enter) or type the ID.")

    @on(OptionList.OptionSelected, "#ws-list")
    def _workspace_picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.query_one("#workspace-id", Input).value = event.option.id
            self.query_one("#next", Button).focus()

    # --- inline validation -----------------------------------------------------------------

    def _show_error(self, error_id: str, event: Input.Changed) -> None:
        error = ""
        if event.value.strip() and event.validation_result is not None:
            failures = event.validation_result.failure_descriptions
            error = failures[0] if failures else ""
        line = self.query_one(error_id, Static)
        line.update(error)
        line.display = bool(error)
        self.refresh_valid()

    @on(Input.Changed, "#workspace-id")
    def _workspace_changed(self, event: Input.Changed) -> None:
        self._show_error("#workspace-error", event)

    @on(Input.Changed, "#base-url")
    def _base_url_changed(self, event: Input.Changed) -> None:
        self._show_error("#base-url-error", event)
        self._show_endpoint()
        self._reload()  # typing an override unsettles the endpoint: the list waits for it

    @on(Input.Changed, "#gateway-token-input")
    def _token_changed(self, event: Input.Changed) -> None:
        self._show_error("#gateway-token-error", event)

    @on(Select.Changed, "#region")
    def _region_changed(self) -> None:
        self._show_endpoint()
        self.refresh_valid()
        self._reload()

    @on(Switch.Changed, "#gateway-signs")
    def _signs_changed(self) -> None:
        self.refresh_valid()
        self._reload()

    @on(Input.Blurred, "#base-url")
    @on(Input.Submitted, "#base-url")
    def _base_url_committed(self) -> None:
        self._committed_url = self.query_one("#base-url", Input).value.strip()
        self._reload()

    @on(Input.Blurred, "#gateway-token-input")
    @on(Input.Submitted, "#gateway-token-input")
    def _endpoint_committed(self) -> None:
        self._reload()

    @on(Input.Submitted, "#workspace-id")
    def _submitted(self) -> None:
        self.action_next()

    # --- the answer ------------------------------------------------------------------------

    def updated_draft(self) -> Draft | None:
        region, base = self._region(), self._base_url()
        workspace = self.query_one("#workspace-id", Input).value.strip()
        token = self._token()
        if region is None or base is None or not self._workspace_rule.validate(workspace).is_valid:
            return None
        if token is not None and not self._token_rule.validate(token).is_valid:
            return None
        update: dict[str, object] = {
            "region": region,
            "workspace_id": workspace,
            "base_url": base,
            "gateway_signs": self._signs(),
            "gateway_token": SecretStr(token) if token is not None else None,
        }
        if token is not None and self.draft.gateway_token_store is None:
            update["gateway_token_store"] = "file"
        return self.draft.model_copy(update=update)
