// The public portal: what Yiyang offers, in plain words, elder-mode by default
// (standards.md §1: large type, big targets, no ads, nothing that pushes the user).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { PortalFooter } from '../components/PortalFooter.tsx';
import { PortalHeader } from '../components/PortalHeader.tsx';
import { MAIN_ID, SkipLink } from '../components/SkipLink.tsx';
import type { MessageKey } from '../i18n.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { useMyText } from './my/text.ts';

interface Offer {
  id: string;
  title: MessageKey;
  body: MessageKey;
  /** Where the service is open: a link instead of the 即将开放 badge (label: a message key, or text: words of a Chinese-only page). */
  to?: { path: string; label: MessageKey } | { path: string; text: string };
}

// Later issues fill these in; each card then links to its service.
const OFFERS: Offer[] = [
  { id: 'assessment', title: 'portal.offer.assessment.title', body: 'portal.offer.assessment.body' },
  {
    id: 'entitlements',
    title: 'portal.offer.entitlements.title',
    body: 'portal.offer.entitlements.body',
    to: { path: '/check', label: 'portal.offer.entitlements.link' },
  },
  {
    id: 'services',
    title: 'portal.offer.services.title',
    body: 'portal.offer.services.body',
    to: { path: '/services', text: '找服务' },
  },
  { id: 'beds', title: 'portal.offer.beds.title', body: 'portal.offer.beds.body', to: { path: '/waitlist', text: '保基本床位轮候' } },
  { id: 'homecare', title: 'portal.offer.homecare.title', body: 'portal.offer.homecare.body', to: { path: '/my/care', text: '我的居家照护' } },
  { id: 'safety', title: 'portal.offer.safety.title', body: 'portal.offer.safety.body' },
];

export function PortalPage() {
  const { t } = usePrefs();
  const m = useMyText();
  usePageTitle(t('portal.title'));
  const [areaName, setAreaName] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .jurisdiction(ctl.signal)
      .then((j) => setAreaName(j.name))
      .catch(() => setAreaName(null)); // optional decoration: the portal works without it
    return () => ctl.abort();
  }, []);

  return (
    <div className="portal">
      <SkipLink />
      <PortalHeader>
        <nav aria-label={t('portal.nav')} className="header-nav">
          <Link to="/my/vouchers" className="button button-secondary">
            {m('my.link')}
          </Link>
          <Link to="/meals" className="button button-secondary" lang="zh-CN">
            老年助餐
          </Link>
          <Link to="/workbench" className="button button-primary login-link">
            {t('portal.login')}
          </Link>
        </nav>
      </PortalHeader>

      <main id={MAIN_ID} tabIndex={-1}>
        <section className="hero" aria-labelledby="hero-title">
          <div className="container">
            <h1 id="hero-title">{t('portal.hero.title')}</h1>
            <p className="lead">{t('portal.hero.lead')}</p>
            {areaName && <p className="hero-region">{t('portal.hero.region', { name: areaName })}</p>}
            <p className="svc-entry-row">
              <Link to="/services" className="button button-primary button-big svc-entry" lang="zh-CN">
                <Icon name="services" />
                <span>
                  <span className="svc-entry-title">找服务</span>
                  <span className="svc-entry-sub">附近的养老院、日间照料、长者食堂，看空床位和价格</span>
                </span>
              </Link>
            </p>
          </div>
        </section>

        <section className="container section" aria-labelledby="offers-title">
          <h2 id="offers-title">{t('portal.offers.title')}</h2>
          <ul className="card-grid" role="list">
            {OFFERS.map((o) => (
              <li key={o.id} className="card offer-card">
                <span className="offer-icon">
                  <Icon name={o.id} />
                </span>
                <h3>{t(o.title)}</h3>
                <p>{t(o.body)}</p>
                {o.to ? (
                  <p className="offer-link">
                    <Link to={o.to.path} className="button button-primary">
                      {'label' in o.to ? t(o.to.label) : o.to.text}
                    </Link>
                  </p>
                ) : (
                  <p className="badge">{t('common.comingSoon')}</p>
                )}
              </li>
            ))}
          </ul>
        </section>

        <FindServices />

        <div className="container section two-col">
          <div className="card">
            <h2>{t('portal.help.title')}</h2>
            <p>{t('portal.help.body')}</p>
          </div>
          <div className="card">
            <h2>{t('portal.staff.title')}</h2>
            <p>{t('portal.staff.body')}</p>
            <p>
              <Link to="/workbench" className="button button-secondary">
                {t('portal.staff.link')}
              </Link>
            </p>
          </div>
        </div>
      </main>

      <PortalFooter />
    </div>
  );
}

function FindServices() {
  const { t } = usePrefs();
  const inputId = useId();
  const hintId = useId();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  // The words go to the 找服务 page as its name-or-address search.
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const words = q.trim();
    void navigate(words ? `/services?q=${encodeURIComponent(words)}` : '/services');
  };
  return (
    <section className="container section" aria-labelledby="find-title">
      <h2 id="find-title">{t('portal.find.title')}</h2>
      <p id={hintId}>{t('portal.find.intro')}</p>
      <form role="search" className="search-form" onSubmit={onSubmit} aria-labelledby="find-title">
        <label htmlFor={inputId}>{t('portal.find.label')}</label>
        <div className="search-row">
          <input
            id={inputId}
            type="search"
            name="q"
            autoComplete="off"
            placeholder={t('portal.find.placeholder')}
            aria-describedby={hintId}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t('portal.find.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
