//! Limited-memory BFGS with a backtracking (Armijo) line search: minimises
//! a smooth function given its value and gradient.

/// Minimises `f` from `x`. `f(x, grad)` returns the value at `x` and
/// writes the gradient into `grad`. Stops after `max_iter` steps, or when
/// the gradient's largest component falls below `tol`.
pub fn minimize(
    mut x: Vec<f64>,
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    max_iter: usize,
    tol: f64,
) -> Vec<f64> {
    const MEMORY: usize = 10;
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for _ in 0..max_iter {
        if max_abs(&g) < tol {
            break;
        }
        // Two-loop recursion: d = -H g.
        let mut q = g.clone();
        let mut alpha = vec![0.0; s_hist.len()];
        for i in (0..s_hist.len()).rev() {
            alpha[i] = rho[i] * dot(&s_hist[i], &q);
            axpy(-alpha[i], &y_hist[i], &mut q);
        }
        if let (Some(s), Some(y)) = (s_hist.last(), y_hist.last()) {
            let gamma = dot(s, y) / dot(y, y);
            q.iter_mut().for_each(|v| *v *= gamma);
        } else {
            // First step: a small one along the gradient.
            let scale = 1.0 / max_abs(&g).max(1.0);
            q.iter_mut().for_each(|v| *v *= scale);
        }
        for i in 0..s_hist.len() {
            let beta = rho[i] * dot(&y_hist[i], &q);
            axpy(alpha[i] - beta, &s_hist[i], &mut q);
        }
        let mut d: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (curvature went wrong): restart.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            d = g.iter().map(|v| -v).collect();
            slope = dot(&g, &d);
        }
        // Backtracking until the Armijo condition holds.
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            for i in 0..n {
                x_new[i] = x[i] + step * d[i];
            }
            let f_new = f(&x_new, &mut g_new);
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
                let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
                let sy = dot(&s, &y);
                if sy > 1e-12 {
                    if s_hist.len() == MEMORY {
                        s_hist.remove(0);
                        y_hist.remove(0);
                        rho.remove(0);
                    }
                    s_hist.push(s);
                    y_hist.push(y);
                    rho.push(1.0 / sy);
                }
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                let converged = (fx - f_new).abs() <= 1e-10 * fx.abs().max(1.0);
                fx = f_new;
                accepted = true;
                if converged {
                    return x;
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    x
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_the_rosenbrock_valley() {
        let x = minimize(
            vec![-1.2, 1.0],
            |x, g| {
                let (a, b) = (x[0], x[1]);
                g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
                g[1] = 200.0 * (b - a * a);
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            },
            500,
            1e-9,
        );
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4,
            "{x:?}"
        );
    }
}
