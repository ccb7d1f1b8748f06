"""Published parameter sets and routes of administration, as data with their citations.

Every parameter set is a frozen dataclass with units in its field names, a
``source`` key in ``data/references.bib``, the ``population`` it was fitted on,
a ``status`` from :data:`ketamine_course.checks.PROVENANCE`, where the values
were read (``seen_at``) and caveats (``note``). Values are checked once, when
they are defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Union

from .. import checks
from .engine import MicroConstants, _Disposition

#: Body weights the simulator accepts, kg (inclusive).
WEIGHT_RANGE_KG = (2.0, 250.0)

#: Esketamine nasal doses, mg: one, two or three 28-mg Spravato devices (spravato_label).
ESKETAMINE_DOSES_MG = (28, 56, 84)

#: Average IV induction dose of racemic ketamine for anesthesia, mg/kg: the Ketalar
#: label gives 1 to 4.5 mg/kg, with 2 mg/kg as the average for 5-10 min of surgical
#: anesthesia (ketalar_label). Shown only as a contrast to the antidepressant dose.
KETALAR_INDUCTION_DOSE_MG_PER_KG = 2.0
#: Largest single dose on the Ketalar label, mg/kg: intramuscular induction, 6.5 to 13 mg/kg
#: (intravenous: 1 to 4.5 mg/kg; ketalar_label). :func:`simulate` refuses larger doses: no model
#: here was fitted anywhere near them, so its curve would be a number without meaning.
KETALAR_MAX_DOSE_MG_PER_KG = 13.0

#: Time to peak plasma esketamine after the last spray, min (spravato_label: 20 to 40 min).
SPRAVATO_TMAX_MIN = (20.0, 40.0)

#: Provenance levels a parameter set or route may carry.
_STATUSES = checks.statuses("confirmed", "secondary", "unconfirmed", "conflicting", "assumption")
_KA_STATUSES = tuple(checks.KA_PROVENANCE)


def _weight(weight_kg) -> float:
    return checks.number(weight_kg, "weight_kg", "kg", *WEIGHT_RANGE_KG)


def _esketamine_devices(dose_mg) -> int:
    """Number of 28-mg devices in a dose of 28, 56 or 84 mg."""
    checks.choice(dose_mg, "dose_mg", ESKETAMINE_DOSES_MG, unit="mg")
    return int(round(float(dose_mg) / 28.0))


@dataclass(frozen=True, kw_only=True)
class CompartmentModel:
    """A published mammillary parameter set given as V1 per kg and rate constants.

    This is how the opentiva package stores its ketamine models: the central
    volume is proportional to body weight and the rate constants are fixed, so
    every clearance scales linearly with weight.

    Parameters
    ----------
    name : str
        Short label, e.g. ``"Clements & Nimmo 1981"``.
    drug : str
        ``"racemic ketamine"`` for every model here.
    v1_l_per_kg : float
        Central volume per kg of body weight, L/kg.
    k10_per_min, k12_per_min, k21_per_min, k13_per_min, k31_per_min : float
        Rate constants, 1/min (0 for an absent compartment).
    weight_scaling : str
        How the parameters change with weight, in words.
    source : str
        Key(s) in ``data/references.bib``, separated by ``;``.
    pmid, doi : str or None
        Identifiers as given by the place the values were seen.
    population : str
        Who the model was fitted on (or that this is unknown).
    status : str
        One of ``confirmed``, ``secondary``, ``unconfirmed``, ``conflicting``, ``assumption``.
    seen_at : str
        Where the values were actually read.
    note : str
        Caveats.
    """

    name: str
    drug: str
    v1_l_per_kg: float
    k10_per_min: float
    k12_per_min: float = 0.0
    k21_per_min: float = 0.0
    k13_per_min: float = 0.0
    k31_per_min: float = 0.0
    weight_scaling: str = ("V1 proportional to body weight; rate constants fixed, so every "
                           "clearance is proportional to weight")
    source: str
    pmid: str | None = None
    doi: str | None = None
    population: str
    status: str
    seen_at: str = ""
    note: str = ""

    def __post_init__(self):
        checks.status(self.status, "status", _STATUSES)
        self.micro_constants(70.0)  # checks every value once, at definition time

    @property
    def n_compartments(self) -> int:
        """1, 2 or 3."""
        return 1 + (self.k12_per_min > 0) + (self.k13_per_min > 0)

    def micro_constants(self, weight_kg: float = 70.0) -> MicroConstants:
        """The model's rate constants for one body weight.

        Parameters
        ----------
        weight_kg : float, default 70
            Body weight, kg (2 to 250).

        Returns
        -------
        MicroConstants
            V1 in L and rate constants in 1/min.

        Raises
        ------
        ValueError
            If the weight is out of range.
        """
        w = _weight(weight_kg)
        return MicroConstants(v1_l=self.v1_l_per_kg * w, k10_per_min=self.k10_per_min,
                              k12_per_min=self.k12_per_min, k21_per_min=self.k21_per_min,
                              k13_per_min=self.k13_per_min, k31_per_min=self.k31_per_min)


@dataclass(frozen=True, kw_only=True)
class AllometricModel:
    """A 1- or 2-compartment parameter set given as volumes and clearances per 70 kg.

    For weight ``W``: ``V = V_70 * (W/70)**volume_exponent`` and
    ``CL = CL_70 * (W/70)**clearance_exponent`` (the same for Q).

    Parameters
    ----------
    name, drug : str
        Label and drug.
    v1_l_per_70kg : float
        Central volume for a 70-kg body, L.
    cl_l_per_h_per_70kg : float
        Elimination clearance for a 70-kg body, L/h.
    v2_l_per_70kg : float, default 0
        Peripheral volume for a 70-kg body, L (0: one compartment).
    q2_l_per_h_per_70kg : float, default 0
        Inter-compartmental clearance for a 70-kg body, L/h.
    volume_exponent, clearance_exponent : float
        Allometric exponents (dimensionless).
    weight_scaling, source, pmid, doi, population, status, seen_at, note
        As for :class:`CompartmentModel`.
    """

    name: str
    drug: str
    v1_l_per_70kg: float
    cl_l_per_h_per_70kg: float
    v2_l_per_70kg: float = 0.0
    q2_l_per_h_per_70kg: float = 0.0
    volume_exponent: float = 1.0
    clearance_exponent: float = 0.75
    weight_scaling: str
    source: str
    pmid: str | None = None
    doi: str | None = None
    population: str
    status: str
    seen_at: str = ""
    note: str = ""

    def __post_init__(self):
        checks.status(self.status, "status", _STATUSES)
        self.micro_constants(70.0)

    @property
    def n_compartments(self) -> int:
        """1 or 2."""
        return 2 if self.v2_l_per_70kg > 0 else 1

    def micro_constants(self, weight_kg: float = 70.0) -> MicroConstants:
        """The model's rate constants for one body weight.

        Parameters
        ----------
        weight_kg : float, default 70
            Body weight, kg (2 to 250).

        Returns
        -------
        MicroConstants
            ``k10 = CL/V1``, ``k12 = Q/V1``, ``k21 = Q/V2`` in 1/min; V1 in L.

        Raises
        ------
        ValueError
            If the weight is out of range.
        """
        ratio = _weight(weight_kg) / 70.0
        sv, scl = ratio ** self.volume_exponent, ratio ** self.clearance_exponent
        v1 = self.v1_l_per_70kg * sv
        cl = self.cl_l_per_h_per_70kg / 60.0 * scl
        if self.v2_l_per_70kg > 0:
            v2 = self.v2_l_per_70kg * sv
            q = self.q2_l_per_h_per_70kg / 60.0 * scl
            return MicroConstants(v1_l=v1, k10_per_min=cl / v1, k12_per_min=q / v1,
                                  k21_per_min=q / v2)
        return MicroConstants(v1_l=v1, k10_per_min=cl / v1)


@dataclass(frozen=True, kw_only=True)
class EsketamineNasalModel:
    """Perez-Ruixo 2021 population model of esketamine nasal spray (typical subject).

    Three disposition compartments (central, shallow and deep peripheral) plus a
    hepato-portal ("liver") compartment, well stirred, from which esketamine is
    eliminated (``kel``) or metabolised to noresketamine (``kmet``). Each 28-mg
    device splits into a fraction ``FRn`` absorbed through the nose (first-order
    ``ka_n`` into the central compartment) and a swallowed rest, of which
    ``Fgut`` reaches a gut depot (zero-order over ``Dsw``, then first-order
    ``ka_sw`` into the liver) and the remainder is lost in the gut wall. The
    second and third devices of one dose absorb less through the nose
    (``FRn * 0.62``).

    Values are the paper's Table 3 typical values as encoded, line by line, in
    nlmixr2lib ``PerezRuixo_2020_esketamine.R``.
    Rate constants keep the paper's units, 1/h; durations are in h.

    Parameters
    ----------
    vc_l, vp1_l, vp2_l, vh_l : float
        Central, shallow peripheral, deep peripheral and hepato-portal volumes, L.
    q1_l_per_h, q2_l_per_h, qh_l_per_h : float
        Inter-compartmental clearances and hepatic blood flow, L/h.
    kel_per_h, kmet_per_h : float
        Hepatic elimination and metabolism to noresketamine, 1/h.
    ka_nasal_per_h : float
        Nasal-cavity absorption rate constant, 1/h.
    frn_first_device : float
        Fraction of the first device absorbed through the nose.
    frn_later_device_factor : float
        Multiplier on FRn for the second and later devices of a dose.
    swallowed_duration_h : float
        Zero-order input duration of the swallowed portion (Dsw), h.
    ka_swallowed_per_h : float
        First-order absorption of the swallowed portion, 1/h.
    fgut : float
        Fraction of a swallowed dose escaping gut-wall metabolism.
    device_mg : float
        Esketamine per device, mg.
    device_interval_min : float
        Time between devices, min: the label's instructions wait 5 minutes after each device
        (spravato_label).

    Notes
    -----
    Typical non-Asian, non-Japanese subject aged 60 or less: the model's race
    and age effects are not applied. Body weight was screened and not retained
    in the model, so there is no weight scaling.
    """

    name: str = "Perez-Ruixo 2021"
    drug: str = "esketamine"
    vc_l: float = 192.0
    q1_l_per_h: float = 84.3
    vp1_l: float = 143.0
    q2_l_per_h: float = 37.6
    vp2_l: float = 417.0
    qh_l_per_h: float = 151.0
    vh_l: float = 101.0
    kel_per_h: float = 1.11
    kmet_per_h: float = 2.77
    ka_nasal_per_h: float = 2.93
    frn_first_device: float = 0.54
    frn_later_device_factor: float = 0.62
    swallowed_duration_h: float = 0.53
    ka_swallowed_per_h: float = 1.45
    fgut: float = 0.64
    device_mg: float = 28.0
    device_interval_min: float = 5.0
    weight_scaling: str = "none: body weight was screened and not retained in the model"
    source: str = "perezruixo2021"
    pmid: str | None = "33128208"
    doi: str | None = "10.1007/s40262-020-00953-4"
    population: str = ("820 subjects in 13 studies: 256 healthy, 564 with treatment-resistant "
                       "depression; age 18-86 y (median 45); weight 39-170 kg (median 74); "
                       "58.4% female; intranasal 14-112 mg, IV 28 mg, oral 84 mg")
    status: str = "secondary"
    seen_at: str = ("nlmixr2/nlmixr2lib inst/modeldb/specificDrugs/PerezRuixo_2020_esketamine.R "
                    "(values annotated to Table 3); paper not opened")
    note: str = ("The paper's table prints rate constants as 'L/h'; nlmixr2lib treats this as a "
                 "typo for 1/h, as here. Its printed ODEs contain typos; the structure follows "
                 "nlmixr2lib. The IIV of kmet is blank in Table 3 (not needed for a typical "
                 "subject). Noresketamine is not modelled here.")

    def __post_init__(self):
        checks.status(self.status, "status", _STATUSES)
        for f in ("vc_l", "vp1_l", "vp2_l", "vh_l"):
            checks.number(getattr(self, f), f, "L", low=0.0, low_open=True)
        for f in ("q1_l_per_h", "q2_l_per_h", "qh_l_per_h"):
            checks.number(getattr(self, f), f, "L/h", low=0.0, low_open=True)
        for f in ("kel_per_h", "kmet_per_h", "ka_nasal_per_h", "ka_swallowed_per_h"):
            checks.number(getattr(self, f), f, "1/h", low=0.0, low_open=True)
        for f in ("frn_first_device", "fgut"):
            checks.number(getattr(self, f), f, "", low=0.0, high=1.0)
        checks.number(self.frn_later_device_factor, "frn_later_device_factor", "", low=0.0, high=1.0 / self.frn_first_device)
        checks.number(self.swallowed_duration_h, "swallowed_duration_h", "h", low=0.0, low_open=True)
        checks.number(self.device_mg, "device_mg", "mg", low=0.0, low_open=True)
        checks.number(self.device_interval_min, "device_interval_min", "min", low=0.0)

    @property
    def hepatic_extraction(self) -> float:
        """Well-stirred hepatic extraction ``CLint / (Qh + CLint)``, ``CLint = (kel + kmet) Vh``."""
        cl_int = (self.kel_per_h + self.kmet_per_h) * self.vh_l
        return cl_int / (self.qh_l_per_h + cl_int)

    @property
    def clearance_l_per_h(self) -> float:
        """Systemic clearance ``Qh * E``, L/h."""
        return self.qh_l_per_h * self.hepatic_extraction

    def nasal_fraction(self, device: int) -> float:
        """FRn for the ``device``-th device of a dose (0 = first)."""
        return self.frn_first_device * (1.0 if device == 0 else self.frn_later_device_factor)

    def bioavailability(self, dose_mg: float) -> float:
        """Model-implied overall bioavailability of a 28, 56 or 84 mg nasal dose.

        ``F = mean over devices of FRn + (1 - FRn) * Fgut * (1 - E)``.
        """
        n = _esketamine_devices(dose_mg)
        swallowed_f = self.fgut * (1.0 - self.hepatic_extraction)
        return sum(f + (1 - f) * swallowed_f for f in map(self.nasal_fraction, range(n))) / n

    def _disposition(self) -> "_Disposition":
        vc, h = self.vc_l, 60.0
        return _Disposition(
            names=("central", "peripheral_shallow", "peripheral_deep", "liver"),
            central_volume_l=vc,
            transfers=((0, 1, self.q1_l_per_h / vc / h), (1, 0, self.q1_l_per_h / self.vp1_l / h),
                       (0, 2, self.q2_l_per_h / vc / h), (2, 0, self.q2_l_per_h / self.vp2_l / h),
                       (0, 3, self.qh_l_per_h / vc / h), (3, 0, self.qh_l_per_h / self.vh_l / h)),
            eliminations=((3, (self.kel_per_h + self.kmet_per_h) / h),),
        )


# --- Published parameter sets ----------------------------------------------

CLEMENTS_1981 = CompartmentModel(
    name="Clements & Nimmo 1981",  # the parameter set opentiva names 'Clements250' (see seen_at)
    drug="racemic ketamine",
    v1_l_per_kg=1.7522, k10_per_min=0.0109, k12_per_min=0.0186, k21_per_min=0.0137,
    source="clements1981",
    pmid="7459184",
    doi="10.1093/bja/53.1.27",
    population=("not reported where we found it: the set is described only as based on data after a "
                "250 microgram/kg bolus, with no age or weight limits"),
    status="secondary",
    seen_at="opentiva/opentiva opentiva/ketamine.py, class Clements250",
    note=("Default racemic IV model: its peak after 0.5 mg/kg over 40 min (70 kg) is the closest "
          "of the opentiva models to the 185 ng/mL reported by Zanos 2018. The paper itself was "
          "not opened; the PMID and DOI are opentiva's citation. Its V1 (1.75 L/kg) is very "
          "large, so the model has no fast early distribution phase."),
)

DOMINO_1982 = CompartmentModel(
    name="Domino (opentiva)",
    drug="racemic ketamine",
    v1_l_per_kg=0.063, k10_per_min=0.4381, k12_per_min=0.5921, k13_per_min=0.5900,
    k21_per_min=0.2470, k31_per_min=0.0146,
    source="domino1982",
    pmid="7198883",
    doi=None,
    population="not found (opentiva gives no age or weight limits)",
    status="unconfirmed",
    seen_at="opentiva/opentiva opentiva/ketamine.py, class Domino",
    note=("The original paper is not confirmed: title, journal, year and population behind "
          "PMID 7198883 were not verified; the values come from opentiva. Its small V1 (4.4 L at "
          "70 kg) gives a sharp fall in concentration after an infusion stops."),
)

HERD_2007 = AllometricModel(
    name="Herd & Anderson 2007",
    drug="racemic ketamine",
    v1_l_per_70kg=38.7, v2_l_per_70kg=102.0,
    cl_l_per_h_per_70kg=90.0, q2_l_per_h_per_70kg=215.0,
    volume_exponent=1.0, clearance_exponent=0.75,
    weight_scaling="allometric: volumes proportional to W/70, clearances to (W/70)**0.75",
    source="herd2007",
    pmid="17564643",
    doi="10.1111/j.1460-9592.2006.02145.x",
    population=("54 children (188 observations), age 8.3 (SD 3.5) y, weight 32.5 (SD 15.6) kg, "
                "1-1.5 mg/kg IV for procedural sedation in an emergency department; opentiva "
                "validity limits age 1-14 y, weight 10.8-74.8 kg"),
    status="confirmed",
    seen_at="PubMed abstract (PMID 17564643); same numbers in opentiva/ketamine.py class Herd",
    note="Paediatric data: an adult simulation extrapolates outside the fitted population.",
)

KAMP_2020 = AllometricModel(
    name="Kamp 2020 (one-compartment summary)",
    drug="racemic ketamine",
    v1_l_per_70kg=252.0, cl_l_per_h_per_70kg=79.0,
    volume_exponent=1.0, clearance_exponent=1.0,
    weight_scaling=("assumed proportional to weight (the abstract gives values per 70 kg; "
                    "79 L/h per 70 kg is about 19 mL/kg/min)"),
    source="kamp2020",
    doi="10.1097/ALN.0000000000003577",
    population=("meta-analysis of 18 studies (report lists 11 in healthy adults, 3 in adult "
                "patients, 5 in paediatric patients); weighted means"),
    status="confirmed",
    seen_at="Anesthesiology abstract",
    note=("The values (V 252 L/70 kg, CL 79 L/h at 70 kg) are confirmed, but a one-compartment "
          "model built from them is this course's simplification, not the authors' model: it "
          "has no distribution phase, so it underestimates the peak at the end of an infusion."),
)

PEREZ_RUIXO_2021 = EsketamineNasalModel()

#: The default racemic IV model (its protocol peak is closest to 185 ng/mL).
DEFAULT = CLEMENTS_1981

#: Racemic ketamine models by bib key.
MODELS: Mapping[str, Union[CompartmentModel, AllometricModel]] = {
    "clements1981": CLEMENTS_1981,
    "domino1982": DOMINO_1982,
    "herd2007": HERD_2007,
    "kamp2020": KAMP_2020,
}


@dataclass(frozen=True, kw_only=True)
class Route:
    """How a dose reaches the blood.

    Parameters
    ----------
    name : str
        Key in :data:`ROUTES`.
    label : str
        How the route is named to students, e.g. ``"intramuscular"``.
    bioavailability : float
        Fraction of the dose that reaches the systemic circulation (0 to 1].
    ka_per_min : float or None
        First-order absorption rate constant, 1/min; None for IV routes.
    lag_min : float, default 0
        Absorption lag time, min.
    infusion : bool, default False
        True for a zero-order (constant-rate) IV infusion.
    bioavailability_range : tuple of float or None
        Range of published values, when they differ.
    tmax_min : float or None
        Reported time to peak that ``ka_per_min`` was derived from, min.
    source : str
        Key(s) in ``data/references.bib`` for the bioavailability (``;``-separated).
    status : str
        Status of the bioavailability value (fact-base levels).
    ka_status : str or None
        ``published``, ``derived`` (from ``tmax_min``) or ``assumption``; None for IV.
    drug : str
        ``racemic ketamine`` or ``esketamine``.
    note : str
        Where each value comes from, and the derivation of ``ka_per_min``.
    """

    name: str
    label: str = ""
    bioavailability: float
    ka_per_min: float | None
    lag_min: float = 0.0
    infusion: bool = False
    bioavailability_range: tuple[float, float] | None = None
    tmax_min: float | None = None
    source: str
    status: str
    ka_status: str | None = None
    drug: str = "racemic ketamine"
    note: str = ""

    def __post_init__(self):
        checks.number(self.bioavailability, "bioavailability", "fraction", low=0.0, low_open=True, high=1.0)
        checks.number(self.lag_min, "lag_min", "min", low=0.0)
        if self.ka_per_min is not None:
            checks.number(self.ka_per_min, "ka_per_min", "1/min", low=0.0, low_open=True)
            if self.infusion:
                raise ValueError("ka_per_min (1/min) must be None for an infusion route")
        checks.status(self.status, "status", _STATUSES)
        if (self.ka_per_min is None) != (self.ka_status is None):
            raise ValueError(f"ka_status must be one of {', '.join(_KA_STATUSES)} when ka_per_min "
                             "is set, and None otherwise")
        if self.ka_status is not None:
            checks.choice(self.ka_status, "ka_status", _KA_STATUSES)

    @property
    def absorbed(self) -> bool:
        """True when the dose goes through an absorption site (first-order ka)."""
        return self.ka_per_min is not None


_DERIVATION = ("ka derived from the reported Tmax with absorption_rate_from_tmax(), i.e. the ka "
               "for which the default model (Clements & Nimmo 1981) at 70 kg peaks at that time; "
               "with another model the same ka gives a somewhat different Tmax. Rounded to 4 "
               "significant figures.")

#: Routes of administration. Absorption rate constants for racemic ketamine are
#: not published (none was found in the cited sources), so they are derived from reported
#: times to peak; no lag time is published for any route, so lag_min is 0.
ROUTES: Mapping[str, Route] = {
    "iv_bolus": Route(
        name="iv_bolus", label="IV bolus (injection)", bioavailability=1.0, ka_per_min=None, source="rolan2014;yanagihara2003",
        status="confirmed",
        note=("Intravenous injection, treated as instantaneous. F = 1 by definition: IV dosing is "
              "the reference against which absolute bioavailability is measured.")),
    "iv_infusion": Route(
        name="iv_infusion", label="IV infusion", bioavailability=1.0, ka_per_min=None, infusion=True,
        source="rolan2014;yanagihara2003", status="confirmed",
        note=("Constant-rate intravenous infusion, as in the antidepressant protocol of Berman "
              "2000 and Zarate 2006 (0.5 mg/kg over 40 min). F = 1 by definition.")),
    "im": Route(
        name="im", label="intramuscular", bioavailability=0.93, ka_per_min=0.2470, tmax_min=10.0,
        source="clements1982", status="secondary", ka_status="derived",
        note=("F 93%: secondary sources only (primidi.com, a course page); the primary, Clements "
              "1982 J Pharm Sci 71:539, was not reached. Tmax 10 min is the middle of the "
              "secondary '5-15 minutes' to peak. " + _DERIVATION)),
    "intranasal": Route(
        name="intranasal", label="intranasal (racemic)", bioavailability=0.45, ka_per_min=0.1223, tmax_min=16.0,
        bioavailability_range=(0.11, 0.45),
        source="yanagihara2003", status="conflicting", ka_status="derived",
        note=("Racemic ketamine nasal spray. Sources disagree: Yanagihara 2003 found ~45% "
              "(25 mg spray, n = 3; Miller's Anesthesia gives ~40-50%), while a 2022 study "
              "(Pharmacotherapy 42:298, doi 10.1002/phar.2669, authors not captured, no bib entry) "
              "found 17%, 13% and 11% at 10, 30 and 50 mg. 0.45 is the top of the range; simulate "
              "bioavailability_range to show the spread. Tmax 16 min is the middle of that 2022 "
              "study's geometric means (23, 14, 16 min). " + _DERIVATION)),
    "oral": Route(
        name="oral", label="oral", bioavailability=0.20, ka_per_min=0.01653, tmax_min=57.6,
        bioavailability_range=(0.15, 0.23),
        source="yanagihara2003;chong2006", status="secondary", ka_status="derived",
        note=("F ~20%: Yanagihara 2003 (oral tablet, n = 3). Other values: 23 +/- 9% (Chong 2006, "
              "n = 6) and 15-19% (prolonged-release tablet, Anesthesiology 2021;135:326). "
              "Tmax 0.96 h = 57.6 min (Chong 2006). First-pass metabolism is "
              "inside F. " + _DERIVATION)),
    "sublingual": Route(
        name="sublingual", label="sublingual", bioavailability=0.29, ka_per_min=0.02397, tmax_min=45.0,
        bioavailability_range=(0.27, 0.31),
        source="rolan2014", status="confirmed", ka_status="derived",
        note=("Sublingual wafer, 25 mg, n = 8 healthy men: F 29% (90% CI 27-31%), Tmax 0.75 h "
              "(range 0.25-1.0 h); first quantifiable level within 5 min (Rolan 2014). "
              + _DERIVATION)),
    "esketamine_nasal": Route(
        name="esketamine_nasal", label="esketamine nasal spray", bioavailability=0.48, ka_per_min=2.93 / 60.0,
        source="spravato_label;perezruixo2021", status="confirmed", ka_status="published",
        drug="esketamine",
        note=("Spravato: mean absolute bioavailability 48%, Tmax 20-40 min after the last spray "
              "(label). ka is Perez-Ruixo 2021's nasal-cavity ka_n = 2.93 /h. For curves use "
              "esketamine_nasal(), which runs the full Perez-Ruixo model (nasal and swallowed "
              "portions); this entry is a summary.")),
}


def _route(route) -> Route:
    if isinstance(route, Route):
        return route
    if isinstance(route, str) and route in ROUTES:
        return ROUTES[route]
    raise ValueError(f"route {route!r} is unknown; known routes: {', '.join(sorted(ROUTES))} "
                     "(or pass a Route)")


def _racemic_model(model):
    if isinstance(model, str):
        if model in MODELS:
            return MODELS[model]
        raise ValueError(f"model {model!r} is unknown; known models: {', '.join(sorted(MODELS))}")
    if isinstance(model, (CompartmentModel, AllometricModel)):
        return model
    if isinstance(model, EsketamineNasalModel):
        raise ValueError("model: the esketamine nasal model runs through esketamine_nasal(), not "
                         "simulate()")
    raise ValueError(f"model must be a CompartmentModel, an AllometricModel or one of "
                     f"{', '.join(sorted(MODELS))}; got {model!r}")

