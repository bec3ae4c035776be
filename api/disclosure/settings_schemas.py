"""Shapes of an organization's local rules at the HTTP edge: disclosure cadence and deadlines,
the approval ladder, 四议两公开's quorums, share rules, the year-end distribution's settings and
a cooperative's surplus and voting rules — each a setting with the default ../shared/domain gives.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.fields import Amount, AmountIn, Pattern, Text
from ledger.disclosure import CADENCES


def _fraction(what: str) -> Text:
    """A rule such as ">=2/3" (at least two thirds) or ">1/2" (more than half)."""
    return Text(validate=Pattern(
        r"^>=?[1-9][0-9]?/[1-9][0-9]?$", error='">=2/3" (at least) or ">1/2" (more than)'),
        metadata={"description": f'The share {what}: ">=2/3" (at least two thirds) or '
                                 '">1/2" (more than half).', "example": ">1/2"})


def _account(what: str) -> Text:
    return Text(validate=Pattern(r"^[0-9]{3,12}$", error="an account code of digits"),
                metadata={"description": f"The account code of {what}.", "example": "21102"})


class SettingsIn(Schema):
    disclosure_cadence = Text(validate=validate.OneOf(CADENCES))
    disclosure_deadline_day = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=28), metadata={
            "description": "A period's disclosure is due by this day of the month after the "
                           "period ends (15: the 15th); later, it is flagged 应公开未公开."})
    disclosure_owed_from = Text(
        validate=Pattern(r"^([0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?)?$",
                         error='a period such as "2026-08", or "" for the books\' start'),
        metadata={"description": "The first period owed on this product; earlier ones were "
                                 "disclosed on paper. Empty: from the books' start.",
                  "example": "2026-08"})
    review_quorum = fields.Integer(strict=True, validate=validate.Range(min=0, max=15), metadata={
        "description": "signatures needed; 0 means a majority of the committee"})
    posting_days = fields.Integer(strict=True, validate=validate.Range(min=5, max=90))
    objection_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=90))
    answer_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=60))
    approval_finance_lead_max = AmountIn(metadata={
        "description": "Spending up to this amount is approved by the finance lead alone.",
        "example": "1000.00"})
    approval_committees_max = AmountIn(metadata={
        "description": "Up to this amount two committee members and a supervisor approve; "
                       "above it the spending also needs a matter's decided resolution.",
        "example": "10000.00"})
    cash_limit = AmountIn(metadata={
        "description": "Cash on hand (库存现金) above this raises a warning.",
        "example": "5000.00"})
    voucher_confirm_from = AmountIn(metadata={
        "description": "The desk's voucher form asks the accountant to confirm an amount at or "
                       "above this (a likely typo); 0.00: never asks. The API does not ask.",
        "example": "100000000.00"})
    split_window_days = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=366), metadata={
            "description": "Days within which payments to one payee or for one purpose are "
                           "added up to find spending split to stay under an approval limit."})
    matter_steps = Text(metadata={
        "description": "The meetings a matter goes through, in order, always ending with "
                       "decide: some of deliberate,review,decide.",
        "example": "deliberate,review,decide"})
    joint_meeting_quorum = _fraction("present at the two committees' joint meeting")
    joint_meeting_majority = _fraction("of those present for, at the joint meeting")
    party_meeting_quorum = _fraction("present at the party members' meeting")
    party_meeting_majority = _fraction("of those present for, at the party members' meeting")
    decision_meeting_quorum = _fraction("present at the villagers' (representatives') meeting")
    decision_meeting_majority = _fraction("of those present for, at the deciding meeting")
    reserved_majority = _fraction("of all members for, on a matter the Law reserves")
    reserved_matters = Text(metadata={
        "description": "Matter categories the Law reserves to the members' meeting, comma "
                       "separated.",
        "example": "articles,membership,land_contracting,distribution,merger,dissolution"})
    share_holding = Text(validate=validate.OneOf(("household", "person")), metadata={
        "description": "household: shares held and frozen per household (增人不增股、减人不减股); "
                       "person: each member holds, new members are given the per-person "
                       "classes from the reserve and leavers return them. Read when the shares "
                       "are quantified."})
    share_transfer = Text(validate=validate.OneOf(("inside", "outside")), metadata={
        "description": "inside: shares pass only to members or households of the "
                       "organization; outside: also to outsiders."})
    share_outside_heirs = Text(validate=validate.OneOf(("income_only", "refuse")),
                               metadata={"description": "income_only: an heir from "
                                         "outside inherits the income, without a "
                                         "vote; refuse: the organization buys the "
                                         "shares back instead."})
    share_holder_cap_percent = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100), metadata={
            "description": "The most of all shares one holder may hold, in percent; 0: no cap."})
    exit_notice_months = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=11), metadata={
            "description": "A cooperative member's notice of exit before the year end it takes "
                           "effect (Art. 25: 3)."})
    reserve_minimum = Text(validate=Pattern(r"^(|0(\.[0-9]{1,4})?|1(\.0{1,4})?)$",
                                            error='a fraction such as "0.30", or "" for none'),
                           metadata={"description": "The charter's least reserve (公积公益金) "
                                     "rate a distribution plan may take; \"\": none.",
                                     "example": "0.30"})
    collective_share = Text(validate=validate.OneOf(("keep", "reserve")), metadata={
        "description": "Where the collective share's (集体股) part of a distribution goes: "
                       "keep it in 未分配收益, or send it to the reserve (公积公益金)."})
    distribution_payable = _account("distribution payable to each holder (应付收益分配)")
    reserve_accumulation_account = _account("公积金, when the reserve is split")
    reserve_welfare_account = _account("公益金, when the reserve is split")
    surplus_reserve_rate = Text(validate=Pattern(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$",
                                                 error='a fraction such as "0.10"'),
                                metadata={"description": "A cooperative's 盈余公积 rate of "
                                          "the year's surplus (default 0.10).",
                                          "example": "0.10"})
    trade_return_rate = Text(validate=Pattern(r"^(0\.[6-9][0-9]{0,3}|1(\.0{1,4})?)$",
                                              error='a fraction from 0.60 to 1 (2017 Law '
                                                    'Art. 44)'),
                             metadata={"description": "The least part of a cooperative's "
                                       "distributable surplus returned by trade; at least "
                                       "0.60 (2017 Law Art. 44).", "example": "0.60"})
    additional_votes = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100_000), metadata={
            "description": "The additional votes a cooperative's charter grants in all; at "
                           "most 20 % of the members' basic votes (2017 Law Art. 22)."})
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=500))


class SettingsOut(Schema):
    org = fields.String()
    disclosure_cadence = fields.String()
    disclosure_deadline_day = fields.Integer()
    disclosure_owed_from = fields.String()
    review_quorum = fields.Integer()
    posting_days = fields.Integer()
    objection_days = fields.Integer()
    answer_days = fields.Integer()
    approval_finance_lead_max = Amount()
    approval_committees_max = Amount()
    cash_limit = Amount()
    voucher_confirm_from = Amount()
    split_window_days = fields.Integer()
    matter_steps = fields.String()
    joint_meeting_quorum = fields.String()
    joint_meeting_majority = fields.String()
    party_meeting_quorum = fields.String()
    party_meeting_majority = fields.String()
    decision_meeting_quorum = fields.String()
    decision_meeting_majority = fields.String()
    reserved_majority = fields.String()
    reserved_matters = fields.String()
    share_holding = fields.String()
    share_transfer = fields.String()
    share_outside_heirs = fields.String()
    share_holder_cap_percent = fields.Integer()
    exit_notice_months = fields.Integer()
    reserve_minimum = fields.String()
    collective_share = fields.String()
    distribution_payable = fields.String()
    reserve_accumulation_account = fields.String()
    reserve_welfare_account = fields.String()
    surplus_reserve_rate = fields.String()
    trade_return_rate = fields.String()
    additional_votes = fields.Integer()
